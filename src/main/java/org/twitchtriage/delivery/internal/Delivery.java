package org.twitchtriage.delivery.internal;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.BatchSize;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.delivery.DeliveryStatusChanged;
import org.twitchtriage.storage.StoredRow;

/**
 * The outbox row of one batch of a submission's resources: whether and how they reached the EHR. The
 * triage batch is keyed by the submission id; a later batch (approved orders) by {@code {id}/{batch}}.
 */
@Entity
@Table(name = "delivery")
public class Delivery extends StoredRow {

    @Id
    @Column(name = "delivery_key", length = 140)
    private String key;

    @Column(name = "submission_id", length = 64, nullable = false)
    private String submissionId;

    @Column(name = "batch", length = 16, nullable = false)
    private String batch;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 16, nullable = false)
    private DeliveryStatus status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    @Column(name = "lease_owner", length = 64)
    private String leaseOwner;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    @Column(name = "last_error", length = 2000)
    private String lastError;

    @Column(name = "last_http_status")
    private Integer lastHttpStatus;

    @Column(name = "ehr_outcome")
    private String ehrOutcome;

    /** In the order the EHR answered, which is the order of the resources sent. */
    @ElementCollection
    @CollectionTable(name = "delivery_ehr_id", joinColumns = @JoinColumn(name = "delivery_key"))
    @OrderColumn(name = "entry_index")
    @BatchSize(size = 100)
    private List<EhrId> ehrIds = new ArrayList<>();

    /** What the delivery left as the EHR has it, in the order the resources were looked at. */
    @ElementCollection
    @CollectionTable(name = "delivery_left", joinColumns = @JoinColumn(name = "delivery_key"))
    @OrderColumn(name = "entry_index")
    @BatchSize(size = 100)
    private List<Left> left = new ArrayList<>();

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    /** Deliveries of one submission go out in this order; see {@link #sequence}. */
    @Column(name = "sequence_number", nullable = false)
    private int sequenceNumber;

    /** The version of the submission's response this delivery carries. */
    @Column(name = "revision", nullable = false)
    private int revision = 1;

    protected Delivery() {}

    static Delivery pending(String submissionId, Instant now) {
        return pending(submissionId, DeliveryBatch.TRIAGE, now);
    }

    static Delivery pending(String submissionId, DeliveryBatch batch, Instant now) {
        return pending(submissionId, batch, 1, now);
    }

    /** @param revision the version of the response the delivery carries (an amendment's version) */
    static Delivery pending(String submissionId, DeliveryBatch batch, int revision, Instant now) {
        Delivery delivery = new Delivery();
        delivery.key = key(submissionId, batch, revision);
        delivery.revision = revision;
        delivery.sequenceNumber = sequence(batch, revision);
        delivery.submissionId = submissionId;
        delivery.batch = batch.code();
        delivery.status = DeliveryStatus.PENDING;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        delivery.updatedAt = now;
        return delivery;
    }

    /**
     * The triage batch keeps the submission id as its key, so existing rows and lookups stay as they were; an
     * amendment is keyed {@code {id}/amendment-{version}}; orders approved from version 1 {@code {id}/approval},
     * from a later version n (after a correction indicated new proposals) {@code {id}/approval-{n}}.
     */
    static String key(String submissionId, DeliveryBatch batch, int revision) {
        return switch (batch) {
            case TRIAGE -> submissionId;
            case APPROVED_ORDERS ->
                revision == 1 ? submissionId + "/" + batch.code() : submissionId + "/" + batch.code() + "-" + revision;
            case AMENDMENT -> submissionId + "/" + batch.code() + "-" + revision;
        };
    }

    /**
     * Where a delivery stands among its submission's: the triage batch 2, the amendment of version n 2n, orders
     * approved while version n is current 2n + 1. A delivery is due only when every one before it has been
     * delivered, so approved orders wait for the results they are based on, and a revision for the original and
     * every earlier revision.
     */
    static int sequence(DeliveryBatch batch, int revision) {
        return switch (batch) {
            case TRIAGE -> 2;
            case APPROVED_ORDERS -> 2 * revision + 1;
            case AMENDMENT -> 2 * revision;
        };
    }

    public int revision() {
        return revision;
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public String getId() {
        return key;
    }

    String key() {
        return key;
    }

    public String submissionId() {
        return submissionId;
    }

    public DeliveryBatch batch() {
        return DeliveryBatch.of(batch);
    }

    public DeliveryStatus status() {
        return status;
    }

    /** Where this delivery stands now, for those who keep track of it. */
    public DeliveryStatusChanged statusChanged() {
        return new DeliveryStatusChanged(submissionId, batch(), status);
    }

    public int attempts() {
        return attempts;
    }

    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public String lastError() {
        return lastError;
    }

    public Integer lastHttpStatus() {
        return lastHttpStatus;
    }

    public String ehrOutcome() {
        return ehrOutcome;
    }

    /** What the EHR made of each resource sent: local reference ({@code Type/id}) to the EHR's reference. */
    public Map<String, String> ehrIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        ehrIds.forEach(id -> ids.put(id.local(), id.ehr()));
        return ids;
    }

    /** What the EHR made of each resource sent, with the versions where known, in the order the EHR answered. */
    public List<EhrId> written() {
        return List.copyOf(ehrIds);
    }

    /**
     * The resources this delivery did not write, and why: left as the EHR has them, skipped (the EHR cannot take
     * their type), or failed.
     */
    public List<Left> left() {
        return List.copyOf(left);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    void delivered(Map<String, String> ids, Instant now) {
        List<EhrId> written = new ArrayList<>();
        ids.forEach((local, ehr) -> written.add(new EhrId(local, ehr, null, null)));
        delivered(written, List.of(), now);
    }

    /** @param kept what was not sent because the EHR had moved on */
    void delivered(List<EhrId> written, List<Left> kept, Instant now) {
        status = DeliveryStatus.DELIVERED;
        attempts++;
        ehrIds.clear();
        ehrIds.addAll(written);
        left.clear();
        left.addAll(kept);
        lastError = null;
        lastHttpStatus = null;
        ehrOutcome = null;
        deliveredAt = now;
        release(now);
    }

    void retryLater(String error, Integer httpStatus, Instant next, Instant now) {
        retryLater(error, httpStatus, next, List.of(), now);
    }

    /** @param ledger what this attempt skipped and what failed */
    void retryLater(String error, Integer httpStatus, Instant next, List<Left> ledger, Instant now) {
        ehrIds.clear();
        left.clear();
        left.addAll(ledger);
        attempts++;
        lastError = error;
        lastHttpStatus = httpStatus;
        nextAttemptAt = next;
        release(now);
    }

    void failed(String error, Integer httpStatus, String outcome, Instant now) {
        failed(error, httpStatus, outcome, List.of(), now);
    }

    /** @param ledger what this attempt skipped and what failed */
    void failed(String error, Integer httpStatus, String outcome, List<Left> ledger, Instant now) {
        ehrIds.clear();
        left.clear();
        left.addAll(ledger);
        status = DeliveryStatus.FAILED;
        attempts++;
        lastError = error;
        lastHttpStatus = httpStatus;
        ehrOutcome = outcome;
        release(now);
    }

    /** Back to pending for an operator's re-drive, with a fresh attempt budget. */
    public void redrive(Instant now) {
        status = DeliveryStatus.PENDING;
        attempts = 0;
        nextAttemptAt = now;
        release(now);
    }

    private void release(Instant now) {
        leaseOwner = null;
        leaseUntil = null;
        updatedAt = now;
    }

    /**
     * One resource as the EHR stored it.
     *
     * @param ehrVersion the version the EHR gave it, when it said
     * @param localVersion the version of the module's resource written there; null when a conditional create found
     *     the resource already in the EHR and wrote nothing
     */
    @Embeddable
    public record EhrId(
            @Column(name = "local_reference", length = 140, nullable = false)
            String local,

            @Column(name = "ehr_reference", nullable = false)
            String ehr,

            @Column(name = "ehr_version", length = 64) String ehrVersion,

            @Column(name = "local_version") Integer localVersion) {}

    /**
     * A resource a delivery left as the EHR has it.
     *
     * @param local the module's resource, {@code Type/id}
     * @param ehr the EHR's resource it was to update, when known
     * @param reason why it was left, in words an operator or clinician can read
     */
    @Embeddable
    public record Left(
            @Column(name = "local_reference", length = 140, nullable = false)
            String local,

            @Column(name = "ehr_reference", length = 255) String ehr,

            @Column(name = "reason", length = 1000, nullable = false)
            String reason,

            @Column(name = "outcome", length = 16, nullable = false)
            String outcome) {

        public static final String LEFT = "left";
        public static final String SKIPPED = "skipped";
        public static final String FAILED = "failed";

        /** Left as the EHR has it. */
        public Left(String local, String ehr, String reason) {
            this(local, ehr, reason, LEFT);
        }

        /** Not sent: the EHR cannot take it. */
        static Left skipped(String local, String reason) {
            return new Left(local, null, cap(reason), SKIPPED);
        }

        /** Sent, and not taken: the EHR refused it or did not answer. */
        static Left failed(String local, String reason) {
            return new Left(local, null, cap(reason), FAILED);
        }

        private static String cap(String reason) {
            return reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason;
        }
    }
}
