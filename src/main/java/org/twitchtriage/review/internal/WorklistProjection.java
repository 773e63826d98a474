package org.twitchtriage.review.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatusChanged;
import org.twitchtriage.delivery.ResultNeedsAttention;
import org.twitchtriage.results.TriageRecorded;
import org.twitchtriage.results.TriageRevised;
import org.twitchtriage.review.ResultReviewed;

/**
 * Keeps the worklist's own table, {@code worklist_entry}: one row per triage result with what the worklist
 * filters and orders on. Each change is written in the transaction of the change it mirrors (the listeners
 * run inside the publisher's transaction and refuse to run outside one), so the worklist never disagrees with
 * what is stored. The triage result comes first: it is stored before its delivery is recorded.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
public class WorklistProjection {

    private final WorklistEntries entries;
    private final WorklistRows rows;
    /** Where the current transaction's new entries wait for its commit. */
    private final Object createdKey = new Object();

    WorklistProjection(WorklistEntries entries, WorklistRows rows) {
        this.entries = entries;
        this.rows = rows;
    }

    /**
     * A new result's entry is written when its transaction commits, with what happened to it meanwhile (the
     * delivery recorded with it), so that it is one insert, not an insert and an update.
     */
    @EventListener
    public void on(TriageRecorded recorded) {
        created()
                .put(
                        recorded.submissionId(),
                        new WorklistEntry(
                                recorded.submissionId(),
                                recorded.effective(),
                                recorded.levelSystem(),
                                recorded.levelCode(),
                                recorded.patientId()));
    }

    /** A submission without a triage result has no entry, and its deliveries change nothing here. */
    @EventListener
    public void on(DeliveryStatusChanged changed) {
        String status = changed.status().code();
        Map<String, WorklistEntry> created = createdIfAny();
        WorklistEntry entry = created == null ? null : created.get(changed.submissionId());
        if (entry != null && changed.batch() == DeliveryBatch.TRIAGE) {
            entry.triageDelivery(status);
            return;
        }
        switch (changed.batch()) {
            case TRIAGE -> entries.triageDelivery(changed.submissionId(), status);
            case APPROVED_ORDERS -> entries.approvalDelivery(changed.submissionId(), status);
            case AMENDMENT -> entries.triageDelivery(changed.submissionId(), status);
        }
    }

    /** A corrected or retracted result comes back to the worklist as not reviewed. */
    @EventListener
    public void on(TriageRevised revised) {
        entries.revised(
                revised.submissionId(),
                revised.revision(),
                revised.effective(),
                revised.levelSystem(),
                revised.levelCode(),
                revised.previousLevelSystem(),
                revised.previousLevelCode(),
                revised.retracted());
    }

    /** What the EHR kept as it had it puts the result in front of a clinician again. */
    @EventListener
    public void on(ResultNeedsAttention attention) {
        String reason = attention.reason();
        if (reason == null || reason.isBlank()) {
            reason = "The EHR kept part of the result as it had it; see its deliveries";
        }
        entries.attention(
                attention.submissionId(),
                reason.length() > WorklistEntry.ATTENTION_LENGTH
                        ? reason.substring(0, WorklistEntry.ATTENTION_LENGTH - 1) + "…"
                        : reason);
    }

    @EventListener
    public void on(ResultReviewed reviewed) {
        entries.reviewed(reviewed.submissionId(), reviewed.revision());
    }

    /** The entries of results recorded in the current transaction, written just before it commits. */
    private Map<String, WorklistEntry> created() {
        Map<String, WorklistEntry> created = createdIfAny();
        if (created != null) {
            return created;
        }
        Map<String, WorklistEntry> fresh = new LinkedHashMap<>();
        TransactionSynchronizationManager.bindResource(createdKey, fresh);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                rows.insert(fresh.values());
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(createdKey);
            }
        });
        return fresh;
    }

    @SuppressWarnings("unchecked")
    private Map<String, WorklistEntry> createdIfAny() {
        return (Map<String, WorklistEntry>) TransactionSynchronizationManager.getResource(createdKey);
    }
}
