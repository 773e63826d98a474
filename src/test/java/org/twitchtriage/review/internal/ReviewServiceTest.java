package org.twitchtriage.review.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.results.OrdersApproved;
import org.twitchtriage.results.Origin;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ResultReviewed;
import org.twitchtriage.review.internal.ReviewExceptions.ApprovalNotPossibleException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultRetractedException;
import org.twitchtriage.security.Caller;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageProperties.Intent;

/** Review and approval over a results store that keeps what it is given in memory; no database, no Spring. */
class ReviewServiceTest {

    private static final String SUBMISSION = "sub-1";
    private static final String REVIEWER = "Practitioner/12";
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final Caller CALLER = Caller.development();

    private final Map<Origin, List<Resource>> stored = new EnumMap<>(Origin.class);
    private final ResultsStore results = inMemoryResults();
    private final List<Object> published = new ArrayList<>();
    private final Transactions transactions = new Transactions();
    private final AuditTrail audit = mock(AuditTrail.class);
    /** The worklist's entry as its projection keeps it: the revision, and whether it is reviewed. */
    private int revision = 1;

    private boolean reviewed;
    private final Worklist worklist = worklist();

    @Test
    void markingReviewedStoresOneCompletedTaskAboutTheResultAndTellsSo() {
        triaged();

        ReviewService.Reviewed reviewed = service(Intent.ORDER).markReviewed(SUBMISSION, CALLER, REVIEWER);

        Task task = reviewed.task();
        assertThat(reviewed.created()).isTrue();
        assertThat(task.getIdElement().getIdPart()).isEqualTo(SUBMISSION + "-review");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(task.getFocus().getReference()).isEqualTo("Observation/" + SUBMISSION);
        assertThat(task.getDescription()).isEqualTo("A clinician reviewed version 1 of the triage result");
        assertThat(task.getFor().getReference()).isEqualTo("Patient/example-1");
        assertThat(task.getOwner().getDisplay()).isEqualTo(REVIEWER);
        assertThat(task.getExecutionPeriod().getEnd().toInstant()).isEqualTo(NOW);
        assertThat(stored.get(Origin.REVIEW)).containsExactly(task);
        assertThat(published).containsExactly(new ResultReviewed(SUBMISSION, 1, NOW));
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.MARK_REVIEWED,
                        Outcome.SUCCESS,
                        "example-1",
                        List.of("Task/" + SUBMISSION + "-review", "QuestionnaireResponse/" + SUBMISSION));
    }

    @Test
    void markingReviewedAgainReturnsTheFirstReviewAndStoresNothing() {
        triaged();
        ReviewService service = service(Intent.ORDER);
        Task first = service.markReviewed(SUBMISSION, CALLER, REVIEWER).task();

        ReviewService.Reviewed again = service.markReviewed(SUBMISSION, CALLER, "Practitioner/13");

        assertThat(again.created()).isFalse();
        assertThat(again.task().getIdElement().getIdPart())
                .isEqualTo(first.getIdElement().getIdPart());
        assertThat(again.task().getOwner().getDisplay()).isEqualTo(REVIEWER);
        verify(results, times(1)).storeLater(anyString(), any(), anyList(), any());
        assertThat(published).hasSize(1);
        verify(audit, times(2))
                .record(
                        CALLER,
                        ReviewService.MARK_REVIEWED,
                        Outcome.SUCCESS,
                        "example-1",
                        List.of("Task/" + SUBMISSION + "-review", "QuestionnaireResponse/" + SUBMISSION));
    }

    @Test
    void aReviewerWhoLosesTheRaceGetsTheWinnersReview() {
        triaged();
        Task winners = new Task();
        winners.setId(SUBMISSION + "-review");
        doAnswer(call -> {
                    stored.put(Origin.REVIEW, List.of(winners));
                    throw new DataIntegrityViolationException("duplicate key");
                })
                .when(results)
                .storeLater(anyString(), any(), anyList(), any());
        winners.setFor(new Reference("Patient/example-1"));

        ReviewService.Reviewed reviewed = service(Intent.ORDER).markReviewed(SUBMISSION, CALLER, REVIEWER);

        assertThat(reviewed.created()).isFalse();
        assertThat(reviewed.task()).isSameAs(winners);
        assertThat(published).isEmpty();
    }

    @Test
    void markingAnUnknownResultIsRefusedAndTheRefusalAudited() {
        assertThatThrownBy(() -> service(Intent.ORDER).markReviewed("no-such", CALLER, REVIEWER))
                .isInstanceOf(ResultNotFoundException.class)
                .hasMessage("There is no triage result for QuestionnaireResponse/no-such");

        assertThat(stored).doesNotContainKey(Origin.REVIEW);
        assertThat(published).isEmpty();
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.MARK_REVIEWED,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/no-such"));
    }

    @Test
    void anIdThatCannotBeOneIsRefusedUnreadAndNotNamedInTheAudit() {
        String malformed = "a b" + "x".repeat(70);

        assertThatThrownBy(() -> service(Intent.ORDER).markReviewed(malformed, CALLER, REVIEWER))
                .isInstanceOf(ResultNotFoundException.class)
                .hasMessageEndingWith(malformed.substring(0, 64) + "…");

        verifyNoInteractions(results);
        verify(audit).record(CALLER, ReviewService.MARK_REVIEWED, Outcome.MINOR_FAILURE, null, List.of());
    }

    @Test
    void approvalIsRefusedWhereOrdersArePlacedDirectly() {
        triaged(proposal("183521007"));

        assertThatThrownBy(() -> service(Intent.ORDER).approve(SUBMISSION, CALLER, REVIEWER))
                .isInstanceOf(ApprovalNotPossibleException.class)
                .hasMessageContaining("triage.intent=order");

        verify(results, never()).storeLater(anyString(), any(), anyList(), any());
        assertThat(published).isEmpty();
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/" + SUBMISSION));
    }

    @Test
    void approvingAnUnknownResultIsNotFoundWhateverTheSiteDoes() {
        assertThatThrownBy(() -> service(Intent.ORDER).approve("no-such", CALLER, REVIEWER))
                .isInstanceOf(ResultNotFoundException.class);
        assertThatThrownBy(() -> service(Intent.PROPOSAL).approve("no-such", CALLER, REVIEWER))
                .isInstanceOf(ResultNotFoundException.class);

        verify(audit, times(2))
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/no-such"));
    }

    @Test
    void approvalWithoutProposalsIsRefusedAndRolledBack() {
        triaged();

        assertThatThrownBy(() -> service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER))
                .isInstanceOf(ApprovalNotPossibleException.class)
                .hasMessage("QuestionnaireResponse/" + SUBMISSION + " has no proposed orders to approve");

        assertThat(transactions.rolledBack).isEqualTo(1);
        assertThat(published).isEmpty();
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/" + SUBMISSION));
    }

    @Test
    void approvalMakesAnOrderOfEachProposalAndQueuesThemForTheEhr() {
        triaged(proposal("183521007"), proposal("306144006"));

        ReviewService.Approved approved = service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER);

        assertThat(approved.created()).isTrue();
        assertThat(approved.orders())
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-183521007-approved", SUBMISSION + "-306144006-approved");
        assertThat(approved.orders()).allSatisfy(order -> {
            assertThat(order.getIntent()).isEqualTo(ServiceRequestIntent.ORDER);
            assertThat(order.getAuthoredOn().toInstant()).isEqualTo(NOW);
            assertThat(order.getNoteFirstRep().getAuthorStringType().getValue()).isEqualTo(REVIEWER);
        });
        assertThat(approved.orders())
                .extracting(order -> order.getBasedOnFirstRep().getReference())
                .containsExactly(
                        "ServiceRequest/" + SUBMISSION + "-183521007", "ServiceRequest/" + SUBMISSION + "-306144006");
        assertThat(stored.get(Origin.APPROVAL)).containsExactlyElementsOf(approved.orders());
        assertThat(published).containsExactly(new OrdersApproved(SUBMISSION, NOW));
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.SUCCESS,
                        "example-1",
                        List.of(
                                "QuestionnaireResponse/" + SUBMISSION,
                                "ServiceRequest/" + SUBMISSION + "-183521007-approved",
                                "ServiceRequest/" + SUBMISSION + "-306144006-approved"));
    }

    @Test
    void approvingAgainReturnsTheFirstOrdersAndQueuesNothing() {
        triaged(proposal("183521007"));
        ReviewService service = service(Intent.PROPOSAL);
        service.approve(SUBMISSION, CALLER, REVIEWER);

        ReviewService.Approved again = service.approve(SUBMISSION, CALLER, REVIEWER);

        assertThat(again.created()).isFalse();
        assertThat(again.orders())
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-183521007-approved");
        verify(results, times(1)).storeLater(anyString(), any(), anyList(), any());
        assertThat(published).hasSize(1);
        verify(audit, times(2))
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.SUCCESS,
                        "example-1",
                        List.of(
                                "QuestionnaireResponse/" + SUBMISSION,
                                "ServiceRequest/" + SUBMISSION + "-183521007-approved"));
    }

    @Test
    void aCorrectedResultIsReviewedAnewWithATaskAboutItsNewVersion() {
        triaged();
        ReviewService service = service(Intent.ORDER);
        Task first = service.markReviewed(SUBMISSION, CALLER, REVIEWER).task();
        corrected(2);

        ReviewService.Reviewed second = service.markReviewed(SUBMISSION, CALLER, "Practitioner/13");
        ReviewService.Reviewed again = service.markReviewed(SUBMISSION, CALLER, REVIEWER);

        assertThat(second.created()).isTrue();
        assertThat(second.task().getIdElement().getIdPart()).isEqualTo(SUBMISSION + "-review-2");
        assertThat(second.task().getDescription()).isEqualTo("A clinician reviewed version 2 of the triage result");
        assertThat(second.task().getOwner().getDisplay()).isEqualTo("Practitioner/13");
        assertThat(again.created()).isFalse();
        assertThat(again.task().getIdElement().getIdPart()).isEqualTo(SUBMISSION + "-review-2");
        assertThat(stored.get(Origin.REVIEW)).containsExactly(first, second.task());
        assertThat(published)
                .containsExactly(new ResultReviewed(SUBMISSION, 1, NOW), new ResultReviewed(SUBMISSION, 2, NOW));
        assertThat(service.reviews(SUBMISSION))
                .extracting(task -> task.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-review", SUBMISSION + "-review-2");
    }

    @Test
    void aResultThatNeedsAttentionAgainIsReviewedAnewInTheSameRevision() {
        triaged();
        ReviewService service = service(Intent.ORDER);
        service.markReviewed(SUBMISSION, CALLER, REVIEWER);
        reviewed = false;

        ReviewService.Reviewed anew = service.markReviewed(SUBMISSION, CALLER, REVIEWER);

        assertThat(anew.created()).isTrue();
        assertThat(anew.task().getIdElement().getIdPart()).isEqualTo(SUBMISSION + "-review-2");
        assertThat(anew.task().getDescription()).isEqualTo("A clinician reviewed version 1 of the triage result");
    }

    @Test
    void aStoreFailureThatLeftNothingOfTheSameIdsIsNotTakenForARace() {
        triaged(proposal("183521007"));
        DataIntegrityViolationException other = new DataIntegrityViolationException("another key");
        doAnswer(call -> {
                    throw other;
                })
                .when(results)
                .storeLater(anyString(), any(), anyList(), any());

        assertThatThrownBy(() -> service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER))
                .isSameAs(other);
        assertThatThrownBy(() -> service(Intent.PROPOSAL).markReviewed(SUBMISSION, CALLER, REVIEWER))
                .isSameAs(other);
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/" + SUBMISSION));
    }

    @Test
    void onlyProposalsStillActiveAreApproved() {
        triaged(
                proposal("183521007"),
                withStatus(proposal("306144006"), ServiceRequestStatus.REVOKED),
                withStatus(proposal("306115009"), ServiceRequestStatus.ENTEREDINERROR));

        ReviewService.Approved approved = service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER);

        assertThat(approved.orders())
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-183521007-approved");
        assertThat(stored.get(Origin.APPROVAL)).containsExactlyElementsOf(approved.orders());
    }

    @Test
    void withEveryProposalRevokedThereIsNothingToApprove() {
        triaged(withStatus(proposal("183521007"), ServiceRequestStatus.REVOKED));

        assertThatThrownBy(() -> service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER))
                .isInstanceOf(ApprovalNotPossibleException.class)
                .hasMessage("QuestionnaireResponse/" + SUBMISSION
                        + " has no proposed orders to approve (revoked proposals are never approved)");
        assertThat(stored).doesNotContainKey(Origin.APPROVAL);
    }

    @Test
    void afterACorrectionAddsAProposalApprovalApprovesJustTheNewOne() {
        triaged(proposal("183521007"));
        ReviewService service = service(Intent.PROPOSAL);
        service.approve(SUBMISSION, CALLER, REVIEWER);
        stored.get(Origin.TRIAGE).add(proposal("306144006"));

        ReviewService.Approved added = service.approve(SUBMISSION, CALLER, REVIEWER);
        ReviewService.Approved again = service.approve(SUBMISSION, CALLER, REVIEWER);

        assertThat(added.created()).isTrue();
        assertThat(added.orders())
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-306144006-approved");
        assertThat(stored.get(Origin.APPROVAL))
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactly(SUBMISSION + "-183521007-approved", SUBMISSION + "-306144006-approved");
        assertThat(published).containsExactly(new OrdersApproved(SUBMISSION, NOW), new OrdersApproved(SUBMISSION, NOW));
        assertThat(again.created()).isFalse();
        assertThat(again.orders())
                .extracting(order -> order.getIdElement().getIdPart())
                .containsExactlyInAnyOrder(SUBMISSION + "-183521007-approved", SUBMISSION + "-306144006-approved");
    }

    @Test
    void aProposalIndicatedAgainAfterItsOrderWasRevokedGetsANewOrder() {
        triaged(proposal("183521007"));
        ReviewService service = service(Intent.PROPOSAL);
        ServiceRequest first =
                service.approve(SUBMISSION, CALLER, REVIEWER).orders().get(0);
        // A correction revoked the proposal and its order, a later one indicated the proposal again.
        stored.put(Origin.APPROVAL, new ArrayList<>(List.of(withStatus(first, ServiceRequestStatus.REVOKED))));

        ReviewService.Approved anew = service.approve(SUBMISSION, CALLER, REVIEWER);

        assertThat(anew.created()).isTrue();
        ServiceRequest order = anew.orders().get(0);
        assertThat(order.getIdElement().getIdPart()).isEqualTo(SUBMISSION + "-183521007-approved-2");
        assertThat(order.getIdentifierFirstRep().getValue()).isEqualTo(SUBMISSION + "-183521007-approved-2");
        assertThat(order.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + SUBMISSION + "-183521007");
        assertThat(order.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
    }

    @Test
    void approvingARetractedResultIsRefusedAndTheRefusalAudited() {
        triaged(withStatus(proposal("183521007"), ServiceRequestStatus.ENTEREDINERROR));
        ((Observation) stored.get(Origin.TRIAGE).get(0)).setStatus(Observation.ObservationStatus.ENTEREDINERROR);

        assertThatThrownBy(() -> service(Intent.PROPOSAL).approve(SUBMISSION, CALLER, REVIEWER))
                .isInstanceOf(ResultRetractedException.class)
                .hasMessageContaining("was retracted (entered in error)");

        assertThat(stored).doesNotContainKey(Origin.APPROVAL);
        assertThat(published).isEmpty();
        assertThat(ReviewService.awaitingApproval(List.copyOf(stored.get(Origin.TRIAGE))))
                .isEmpty();
        verify(audit)
                .record(
                        CALLER,
                        ReviewService.APPROVE_ORDERS,
                        Outcome.MINOR_FAILURE,
                        null,
                        List.of("QuestionnaireResponse/" + SUBMISSION));
    }

    /** A correction as the worklist and the store then have it: a new Observation version, not reviewed. */
    private void corrected(int version) {
        Observation observation = (Observation) stored.get(Origin.TRIAGE).get(0);
        observation.getMeta().setVersionId(String.valueOf(version));
        revision = version;
        reviewed = false;
    }

    private static ServiceRequest withStatus(ServiceRequest request, ServiceRequestStatus status) {
        ServiceRequest changed = request.copy();
        changed.setStatus(status);
        return changed;
    }

    private ReviewService service(Intent intent) {
        return new ReviewService(
                results,
                worklist,
                new TriageProperties("Organization/triage-site", intent, "twitch-triage"),
                event -> {
                    published.add(event);
                    if (event instanceof ResultReviewed done && done.revision() == revision) {
                        reviewed = true;
                    }
                },
                transactions,
                Clock.fixed(NOW, ZoneOffset.UTC),
                audit);
    }

    /** The submission's triage: its Observation and the given ServiceRequests. */
    private void triaged(ServiceRequest... requests) {
        Observation observation = new Observation();
        observation.setId(SUBMISSION);
        observation.setSubject(new Reference("Patient/example-1"));
        List<Resource> triage = new ArrayList<>(List.of(observation));
        triage.addAll(List.of(requests));
        stored.put(Origin.TRIAGE, triage);
    }

    private static ServiceRequest proposal(String code) {
        ServiceRequest request = new ServiceRequest();
        request.setId(SUBMISSION + "-" + code);
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequestIntent.PROPOSAL);
        request.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", code, null)));
        request.setSubject(new Reference("Patient/example-1"));
        return request;
    }

    private Worklist worklist() {
        Worklist entries = mock(Worklist.class);
        when(entries.entry(anyString()))
                .thenAnswer(call -> SUBMISSION.equals(call.getArgument(0))
                        ? Optional.of(new Worklist.Entry(
                                SUBMISSION, NOW, reviewed, null, null, null, revision, null, null, false, null))
                        : Optional.empty());
        return entries;
    }

    /** What the store was given, by origin, for the one submission there is. */
    private ResultsStore inMemoryResults() {
        ResultsStore store = mock(ResultsStore.class);
        when(store.forSubmission(anyString())).thenAnswer(call -> written(call.getArgument(0), Origin.TRIAGE));
        when(store.forSubmission(anyString(), any(Origin.class)))
                .thenAnswer(call -> written(call.getArgument(0), call.getArgument(1)));
        doAnswer(call -> {
                    List<Resource> resources = call.getArgument(2);
                    stored.computeIfAbsent(call.getArgument(1), origin -> new ArrayList<>())
                            .addAll(resources);
                    return null;
                })
                .when(store)
                .storeLater(anyString(), any(), anyList(), any());
        return store;
    }

    private List<Resource> written(String submissionId, Origin origin) {
        return SUBMISSION.equals(submissionId) ? List.copyOf(stored.getOrDefault(origin, List.of())) : List.of();
    }

    /** Runs the work without a database and counts rollbacks. */
    private static final class Transactions implements PlatformTransactionManager {

        int rolledBack;

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {}

        @Override
        public void rollback(TransactionStatus status) {
            rolledBack++;
        }
    }
}
