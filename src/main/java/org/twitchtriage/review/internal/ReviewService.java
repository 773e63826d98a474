package org.twitchtriage.review.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
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
import org.twitchtriage.review.internal.ReviewExceptions.ResultRetractedException;
import org.twitchtriage.security.Caller;
import org.twitchtriage.triage.Narratives;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageProperties.Intent;

/**
 * What a clinician does with a triage result: marks it reviewed (a completed Task) and, where orders are only
 * proposed, approves them (an order per proposal, delivered to the EHR). Both act on the result as it stands now:
 * a correction makes it unreviewed again, and only proposals still active that no standing order was approved
 * from are approved. Both are idempotent: the ids derive from the submission and from what was done before, so
 * doing it again finds what was done and stores nothing new. Each is audited, refusals included.
 */
@Service
public class ReviewService {

    static final String TASK_CODES = "http://twitchtriage.org/fhir/CodeSystem/clinician-task";
    static final String REVIEW = "review";
    static final Activity MARK_REVIEWED = Activity.operation("$mark-reviewed", Action.UPDATE);
    static final Activity APPROVE_ORDERS = Activity.operation("$approve-orders", Action.CREATE);
    private static final Pattern LATER_REVIEW = Pattern.compile(".*-review-(\\d{1,9})");

    private final ResultsStore results;
    private final Worklist worklist;
    private final TriageProperties triage;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AuditTrail audit;

    ReviewService(
            ResultsStore results,
            Worklist worklist,
            TriageProperties triage,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            Clock clock,
            AuditTrail audit) {
        this.results = results;
        this.worklist = worklist;
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

    /** Every review of the result, the first first: one per time it was marked reviewed. */
    public List<Task> reviews(String submissionId) {
        return reviews(results.forSubmission(submissionId, Origin.REVIEW));
    }

    /** The review Tasks among what was written for a submission, the first first. */
    static List<Task> reviews(List<Resource> written) {
        return written.stream()
                .filter(Task.class::isInstance)
                .map(Task.class::cast)
                .sorted(Comparator.comparingInt(ReviewService::reviewNumber))
                .toList();
    }

    /**
     * Records that the reviewer looked at the result as it stands; while it stays so, another call returns that
     * review. A result corrected, retracted or needing attention since is reviewed anew, with a Task of its own.
     *
     * @param caller who asks, for the audit trail
     * @param reviewer the reviewer's name as the Task records it
     */
    public Reviewed markReviewed(String submissionId, Caller caller, String reviewer) {
        Reviewed reviewed = refusalsAudited(caller, MARK_REVIEWED, submissionId, () -> {
            SubmissionIds.checked(submissionId);
            // The id this attempt stores, so that a lost race finds the winner's Task under it.
            List<String> attempted = new ArrayList<>();
            return racing(
                    () -> transaction.execute(status -> reviewNow(submissionId, reviewer, attempted)),
                    () -> reviews(submissionId).stream()
                            .filter(task ->
                                    attempted.contains(task.getIdElement().getIdPart()))
                            .findFirst()
                            .map(task -> new Reviewed(task, false)));
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

    private Reviewed reviewNow(String submissionId, String reviewer, List<String> attempted) {
        Observation observation = observation(submissionId);
        Worklist.Entry entry =
                worklist.entry(submissionId).orElseThrow(() -> new ResultNotFoundException(submissionId));
        List<Task> earlier = reviews(submissionId);
        if (entry.reviewed() && !earlier.isEmpty()) {
            return new Reviewed(earlier.get(earlier.size() - 1), false);
        }
        int number = earlier.isEmpty() ? 1 : reviewNumber(earlier.get(earlier.size() - 1)) + 1;
        String id = reviewId(submissionId, number);
        attempted.add(id);
        Instant now = clock.instant();
        Task task = reviewTask(id, observation, reviewer, now);
        results.storeLater(submissionId, Origin.REVIEW, List.of(task), now);
        events.publishEvent(new ResultReviewed(submissionId, entry.revision(), now));
        return new Reviewed(task, true);
    }

    /**
     * Turns every proposed ServiceRequest of the result as it stands that awaits approval (still active, and no
     * standing order approved from it) into an order based on it, and queues them for the EHR, all in one
     * transaction. Only where triage proposes (triage.intent=proposal), and never for a retracted result. When
     * nothing awaits approval, returns the standing orders approved from the current proposals.
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
            List<String> attempted = new ArrayList<>();
            return racing(() -> transaction.execute(status -> approveNow(submissionId, reviewer, attempted)), () -> {
                List<ServiceRequest> stored = approvedOrders(submissionId).stream()
                        .filter(order -> attempted.contains(order.getIdElement().getIdPart()))
                        .toList();
                return stored.size() == attempted.size() && !stored.isEmpty()
                        ? Optional.of(new Approved(stored, false))
                        : Optional.empty();
            });
        });
        List<String> touched = new ArrayList<>(List.of(FhirIds.reference("QuestionnaireResponse", submissionId)));
        approved.orders().forEach(order -> touched.add(FhirIds.reference(order)));
        String patient = approved.orders().isEmpty()
                ? null
                : approved.orders().get(0).getSubject().getReferenceElement().getIdPart();
        audit.record(caller, APPROVE_ORDERS, Outcome.SUCCESS, patient, touched);
        return approved;
    }

    private Approved approveNow(String submissionId, String reviewer, List<String> attempted) {
        List<Resource> written = new ArrayList<>(results.forSubmission(submissionId));
        Observation observation = written.stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .findFirst()
                .orElseThrow(() -> new ResultNotFoundException(submissionId));
        if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR) {
            throw new ResultRetractedException(submissionId);
        }
        List<ServiceRequest> approved = approvedOrders(submissionId);
        written.addAll(approved);
        List<ServiceRequest> proposals = proposals(written);
        if (proposals.isEmpty()) {
            throw new ApprovalNotPossibleException("QuestionnaireResponse/" + submissionId
                    + " has no proposed orders to approve"
                    + (proposals(written, null).isEmpty() ? "" : " (revoked proposals are never approved)"));
        }
        List<ServiceRequest> awaiting = awaitingApproval(written);
        if (awaiting.isEmpty()) {
            Set<String> current = proposals.stream().map(FhirIds::reference).collect(Collectors.toSet());
            return new Approved(
                    approved.stream()
                            .filter(ReviewService::standing)
                            .filter(order -> current.contains(basedOn(order)))
                            .toList(),
                    false);
        }
        Instant now = clock.instant();
        List<ServiceRequest> orders = new ArrayList<>();
        for (ServiceRequest proposal : awaiting) {
            String id = approvedId(proposal, approved);
            attempted.add(id);
            orders.add(order(proposal, id, reviewer, now));
        }
        results.storeLater(submissionId, Origin.APPROVAL, orders, now);
        events.publishEvent(new OrdersApproved(submissionId, now));
        return new Approved(orders, true);
    }

    /** Every order approved from the submission's proposals, whatever became of it since. */
    public List<ServiceRequest> approvedOrders(String submissionId) {
        return results.forSubmission(submissionId, Origin.APPROVAL).stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .toList();
    }

    /**
     * The proposals among what was written for a submission (its triage and the orders approved from it) that an
     * approval would make orders of: active, with no standing order based on them. None for a retracted result.
     */
    static List<ServiceRequest> awaitingApproval(List<Resource> written) {
        boolean retracted = written.stream()
                .anyMatch(r ->
                        r instanceof Observation o && o.getStatus() == Observation.ObservationStatus.ENTEREDINERROR);
        if (retracted) {
            return List.of();
        }
        Set<String> approved = written.stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .filter(r -> r.getIntent() == ServiceRequestIntent.ORDER && r.hasBasedOn() && standing(r))
                .map(ReviewService::basedOn)
                .collect(Collectors.toSet());
        return proposals(written).stream()
                .filter(p -> !approved.contains(FhirIds.reference(p)))
                .toList();
    }

    private static List<ServiceRequest> proposals(List<Resource> written) {
        return proposals(written, ServiceRequestStatus.ACTIVE);
    }

    /** @param status the proposals' status; null for any */
    private static List<ServiceRequest> proposals(List<Resource> written, ServiceRequestStatus status) {
        return written.stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .filter(r -> r.getIntent() == ServiceRequestIntent.PROPOSAL)
                .filter(r -> status == null || r.getStatus() == status)
                .toList();
    }

    /** An approved order that still stands: not withdrawn with its proposal nor entered in error. */
    private static boolean standing(ServiceRequest order) {
        return order.getStatus() != ServiceRequestStatus.REVOKED
                && order.getStatus() != ServiceRequestStatus.ENTEREDINERROR;
    }

    private static String basedOn(ServiceRequest order) {
        return new Reference(order.getBasedOnFirstRep().getReference())
                .getReferenceElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    /**
     * {@code {proposal id}-approved}; a proposal approved before, whose order was withdrawn with it and which a
     * later correction indicates again, gets a new order: {@code -approved-2}, {@code -approved-3}...
     */
    private static String approvedId(ServiceRequest proposal, List<ServiceRequest> approved) {
        Set<String> taken =
                approved.stream().map(order -> order.getIdElement().getIdPart()).collect(Collectors.toSet());
        String first = proposal.getIdElement().getIdPart() + "-approved";
        String id = first;
        for (int n = 2; taken.contains(id); n++) {
            id = first + "-" + n;
        }
        return id;
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

    /**
     * Two clinicians acting at once: the loser's insert of the same ids fails, and it finds the winner's. A
     * failure that left nothing of the same ids stored was no race, and is not taken for one.
     */
    private static <T> T racing(Supplier<T> attempt, Supplier<Optional<T>> winner) {
        try {
            return attempt.get();
        } catch (DataIntegrityViolationException sameIdsStoredMeanwhile) {
            return winner.get().orElseThrow(() -> sameIdsStoredMeanwhile);
        }
    }

    /** {@code {submission id}-review}, then {@code -review-2}, {@code -review-3}... */
    private static String reviewId(String submissionId, int number) {
        return submissionId + "-review" + (number == 1 ? "" : "-" + number);
    }

    /** Which review of its result the Task is: 1 for {@code -review}, n for {@code -review-n}. */
    private static int reviewNumber(Task task) {
        Matcher later = LATER_REVIEW.matcher(task.getIdElement().getIdPart());
        return later.matches() ? Integer.parseInt(later.group(1)) : 1;
    }

    /**
     * Its description names the version of the Observation reviewed, so a review of an earlier version is not read
     * as one of a correction. (The focus stays a plain reference: references stored here keep no version.)
     */
    private static Task reviewTask(String id, Observation observation, String reviewer, Instant now) {
        Date at = Date.from(now);
        Task task = new Task();
        task.setId(id);
        task.addIdentifier(new Identifier()
                .setSystem(TriageDocuments.IDENTIFIER_BASE + "review")
                .setValue(id));
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(TASK_CODES, REVIEW, "Review of a triage result")));
        String version =
                observation.getMeta().hasVersionId() ? observation.getMeta().getVersionId() : "1";
        task.setDescription("A clinician reviewed version " + version + " of the triage result");
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

    private static ServiceRequest order(ServiceRequest proposal, String id, String reviewer, Instant now) {
        String suffix = id.substring(proposal.getIdElement().getIdPart().length());
        ServiceRequest order = proposal.copy();
        order.setId(id);
        order.getMeta().setVersionId(null).setLastUpdated(null);
        order.setIdentifier(new ArrayList<>(List.of(new Identifier()
                .setSystem(TriageDocuments.IDENTIFIER_BASE + "approved-order")
                .setValue(id))));
        if (proposal.hasRequisition()) {
            order.setRequisition(proposal.getRequisition()
                    .copy()
                    .setValue(proposal.getRequisition().getValue() + suffix));
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
