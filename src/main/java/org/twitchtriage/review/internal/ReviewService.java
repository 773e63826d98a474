package org.twitchtriage.review.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.results.OrdersApproved;
import org.twitchtriage.results.Origin;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ResultReviewed;
import org.twitchtriage.review.internal.ReviewExceptions.ApprovalNotPossibleException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;
import org.twitchtriage.security.Caller;
import org.twitchtriage.triage.Narratives;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageProperties.Intent;

/**
 * What a clinician does with a triage result: marks it reviewed (a completed Task) and, where orders are only
 * proposed, approves them (an order per proposal, delivered to the EHR). Both are idempotent: the ids derive
 * from the submission, so doing it again finds what was done and stores nothing new. Each is audited, refusals
 * included.
 */
@Service
public class ReviewService {

    static final String TASK_CODES = "http://twitchtriage.org/fhir/CodeSystem/clinician-task";
    static final String REVIEW = "review";
    static final Activity MARK_REVIEWED = Activity.operation("$mark-reviewed", Action.UPDATE);
    static final Activity APPROVE_ORDERS = Activity.operation("$approve-orders", Action.CREATE);

    private final ResultsStore results;
    private final TriageProperties triage;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AuditTrail audit;

    ReviewService(
            ResultsStore results,
            TriageProperties triage,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            Clock clock,
            AuditTrail audit) {
        this.results = results;
        this.triage = triage;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.audit = audit;
    }

    /** The review Task and whether this call created it. */
    public record Reviewed(Task task, boolean created) {}

    /** The approved orders and whether this call created them. */
    public record Approved(List<ServiceRequest> orders, boolean created) {}

    public Optional<Task> review(String submissionId) {
        return results.forSubmission(submissionId, Origin.REVIEW).stream()
                .filter(Task.class::isInstance)
                .map(Task.class::cast)
                .findFirst();
    }

    /**
     * Records that the reviewer looked at the result; a second call returns the first review.
     *
     * @param caller who asks, for the audit trail
     * @param reviewer the reviewer's name as the Task records it
     */
    public Reviewed markReviewed(String submissionId, Caller caller, String reviewer) {
        Reviewed reviewed = refusalsAudited(caller, MARK_REVIEWED, submissionId, () -> {
            SubmissionIds.checked(submissionId);
            return racing(
                    () -> transaction.execute(status -> {
                        Observation observation = observation(submissionId);
                        Optional<Task> earlier = review(submissionId);
                        if (earlier.isPresent()) {
                            return new Reviewed(earlier.get(), false);
                        }
                        Instant now = clock.instant();
                        Task task = reviewTask(submissionId, observation, reviewer, now);
                        results.storeLater(submissionId, Origin.REVIEW, List.of(task), now);
                        events.publishEvent(new ResultReviewed(submissionId, now));
                        return new Reviewed(task, true);
                    }),
                    () -> new Reviewed(review(submissionId).orElseThrow(), false));
        });
        Task task = reviewed.task();
        audit.record(
                caller,
                MARK_REVIEWED,
                Outcome.SUCCESS,
                task.getFor().getReferenceElement().getIdPart(),
                List.of(FhirIds.reference(task), FhirIds.reference("QuestionnaireResponse", submissionId)));
        return reviewed;
    }

    /**
     * Turns every proposed ServiceRequest into an order based on it and queues them for the EHR, all in one
     * transaction. Only where triage proposes (triage.intent=proposal); a second call returns the first orders.
     *
     * @param caller who asks, for the audit trail
     * @param reviewer the reviewer's name as the orders' notes record it
     */
    public Approved approve(String submissionId, Caller caller, String reviewer) {
        Approved approved = refusalsAudited(caller, APPROVE_ORDERS, submissionId, () -> {
            observation(SubmissionIds.checked(submissionId));
            if (triage.intent() != Intent.PROPOSAL) {
                throw new ApprovalNotPossibleException("Orders are placed without approval at this site"
                        + " (triage.intent=" + triage.intent().code() + "); there is nothing to approve");
            }
            return racing(
                    () -> transaction.execute(status -> approveNow(submissionId, reviewer)),
                    () -> new Approved(approvedOrders(submissionId), false));
        });
        List<String> touched = new ArrayList<>(List.of(FhirIds.reference("QuestionnaireResponse", submissionId)));
        approved.orders().forEach(order -> touched.add(FhirIds.reference(order)));
        String patient = approved.orders().isEmpty()
                ? null
                : approved.orders().get(0).getSubject().getReferenceElement().getIdPart();
        audit.record(caller, APPROVE_ORDERS, Outcome.SUCCESS, patient, touched);
        return approved;
    }

    private Approved approveNow(String submissionId, String reviewer) {
        List<ServiceRequest> earlier = approvedOrders(submissionId);
        if (!earlier.isEmpty()) {
            return new Approved(earlier, false);
        }
        List<ServiceRequest> proposals = results.forSubmission(submissionId).stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .filter(r -> r.getIntent() == ServiceRequestIntent.PROPOSAL)
                .toList();
        if (proposals.isEmpty()) {
            throw new ApprovalNotPossibleException(
                    "QuestionnaireResponse/" + submissionId + " has no proposed orders to approve");
        }
        Instant now = clock.instant();
        List<ServiceRequest> orders = new ArrayList<>();
        proposals.forEach(proposal -> orders.add(order(proposal, reviewer, now)));
        results.storeLater(submissionId, Origin.APPROVAL, orders, now);
        events.publishEvent(new OrdersApproved(submissionId, now));
        return new Approved(orders, true);
    }

    public List<ServiceRequest> approvedOrders(String submissionId) {
        return results.forSubmission(submissionId, Origin.APPROVAL).stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .toList();
    }

    private Observation observation(String submissionId) {
        return results.forSubmission(submissionId).stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .findFirst()
                .orElseThrow(() -> new ResultNotFoundException(submissionId));
    }

    /** Runs a change; a refusal (unknown result, nothing to approve) is recorded before it is answered. */
    private <T> T refusalsAudited(Caller caller, Activity activity, String submissionId, Supplier<T> change) {
        try {
            return change.get();
        } catch (RuntimeException refused) {
            audit.record(
                    caller,
                    activity,
                    Outcome.MINOR_FAILURE,
                    null,
                    SubmissionIds.wellFormed(submissionId)
                            ? List.of(FhirIds.reference("QuestionnaireResponse", submissionId))
                            : List.of());
            throw refused;
        }
    }

    /** Two clinicians acting at once: the loser's insert of the same ids fails, and it finds the winner's. */
    private static <T> T racing(Supplier<T> attempt, Supplier<T> winner) {
        try {
            return attempt.get();
        } catch (DataIntegrityViolationException sameIdsStoredMeanwhile) {
            return winner.get();
        }
    }

    private static Task reviewTask(String submissionId, Observation observation, String reviewer, Instant now) {
        String id = submissionId + "-review";
        Date at = Date.from(now);
        Task task = new Task();
        task.setId(id);
        task.addIdentifier(new Identifier()
                .setSystem(TriageDocuments.IDENTIFIER_BASE + "review")
                .setValue(id));
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(TASK_CODES, REVIEW, "Review of a triage result")));
        task.setDescription("A clinician reviewed the triage result");
        task.setFocus(new Reference(FhirIds.reference(observation)));
        task.setFor(observation.getSubject().copy());
        task.setRequester(clinician(reviewer));
        task.setOwner(clinician(reviewer));
        task.setAuthoredOn(at);
        task.setLastModified(at);
        task.setExecutionPeriod(new Period().setStart(at).setEnd(at));
        return task;
    }

    /** The reviewer as sign-in names them; there is no Practitioner resource to point at. */
    private static Reference clinician(String reviewer) {
        return new Reference()
                .setDisplay(reviewer)
                .setIdentifier(new Identifier()
                        .setSystem(TriageDocuments.IDENTIFIER_BASE + "reviewer")
                        .setValue(reviewer));
    }

    private static ServiceRequest order(ServiceRequest proposal, String reviewer, Instant now) {
        String id = proposal.getIdElement().getIdPart() + "-approved";
        ServiceRequest order = proposal.copy();
        order.setId(id);
        order.getMeta().setVersionId(null).setLastUpdated(null);
        order.setIdentifier(new ArrayList<>(List.of(new Identifier()
                .setSystem(TriageDocuments.IDENTIFIER_BASE + "approved-order")
                .setValue(id))));
        if (proposal.hasRequisition()) {
            order.setRequisition(proposal.getRequisition()
                    .copy()
                    .setValue(proposal.getRequisition().getValue() + "-approved"));
        }
        order.setIntent(ServiceRequestIntent.ORDER);
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        order.setBasedOn(new ArrayList<>(List.of(new Reference(FhirIds.reference(proposal)))));
        order.setAuthoredOn(Date.from(now));
        order.addNote(new Annotation()
                .setAuthor(new StringType(reviewer))
                .setTime(Date.from(now))
                .setText("Approved by a clinician from the proposal it is based on"));
        Narratives.narrate(order);
        return order;
    }
}
