package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Corrections and retractions of accepted responses: each a new version of the response, triaged again, with
 * the results revised and never duplicated.
 */
class CorrectionIT extends IntegrationTest {

    private static final String SYSTEM = "urn:test:portal";

    private static ChecklistResponses numbness() {
        return benign().answer("numbness-tingling", true);
    }

    private static ChecklistResponses amended(ChecklistResponses response) {
        return response.status(QuestionnaireResponseStatus.AMENDED);
    }

    @Test
    void aCorrectionThatRaisesTheLevelAmendsTheObservationAndAddsTheOrders() {
        String id = submit(benign());
        assertThat(orders(id)).isEmpty();

        HttpResponse<String> updated = update(id, amended(numbness()));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        QuestionnaireResponse stored = parse(QuestionnaireResponse.class, updated);
        assertThat(stored.getMeta().getVersionId()).isEqualTo("2");
        assertThat(stored.getIdElement().getVersionIdPart()).isEqualTo("2");
        Observation observation = read(Observation.class, "Observation/" + id);
        assertThat(observation.getMeta().getVersionId()).isEqualTo("2");
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("urgent");
        assertThat(observation.getNoteFirstRep().getText())
                .contains("the level changed from Self-care ('self-care') to Urgent")
                .contains("because the answers changed")
                .contains("newly fired");
        Map<String, ServiceRequest> orders = orders(id);
        assertThat(orders).hasSize(2);
        orders.values().forEach(order -> {
            assertThat(order.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
            assertThat(order.getPriority()).isEqualTo(ServiceRequestPriority.URGENT);
            assertThat(order.getMeta().getVersionId()).isEqualTo("1");
        });
        Provenance revision = read(Provenance.class, "Provenance/" + id + "-2");
        assertThat(revision.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE");
        assertThat(revision.getTarget())
                .extracting(t -> t.getReference())
                .contains("Observation/" + id + "/_history/2");
        assertThat(revision.getEntity())
                .extracting(e -> e.getRole().toCode() + " " + e.getWhat().getReference())
                .contains(
                        "source QuestionnaireResponse/" + id + "/_history/2",
                        "revision Observation/" + id + "/_history/1");
        assertThat(results(id, "Observation")).isEqualTo(1);
    }

    @Test
    void aCorrectionThatLowersTheLevelRevokesTheOrdersNoLongerIndicated() {
        String id = submit(numbness());
        assertThat(orders(id)).hasSize(2);

        HttpResponse<String> updated = update(id, amended(benign()));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        Observation observation = read(Observation.class, "Observation/" + id);
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("self-care");
        assertThat(observation.getNoteFirstRep().getText())
                .contains("from Urgent")
                .contains("no longer fired");
        Map<String, ServiceRequest> orders = orders(id);
        assertThat(orders).hasSize(2);
        orders.values().forEach(order -> {
            assertThat(order.getStatus()).isEqualTo(ServiceRequestStatus.REVOKED);
            assertThat(order.getMeta().getVersionId()).isEqualTo("2");
        });
        Communication guidance = read(Communication.class, "Communication/" + id);
        assertThat(guidance.getMeta().getVersionId()).isEqualTo("2");
        assertThat(guidance.getPayloadFirstRep().getContentStringType().getValue())
                .startsWith("Self-care");
    }

    @Test
    void aRaisedPriorityIsANewVersionOfTheOrderAndUnchangedOrdersStayAsTheyWere() {
        String id = submit(benign().answer("family-history", true).answer("spreading", true));
        Map<String, ServiceRequest> before = orders(id);
        assertThat(before).hasSize(1);
        ServiceRequest neurology = before.values().iterator().next();
        assertThat(neurology.getPriority()).isEqualTo(ServiceRequestPriority.ROUTINE);

        update(
                id,
                amended(benign().answer("family-history", true)
                        .answer("spreading", true)
                        .answer("numbness-tingling", true)));

        Map<String, ServiceRequest> after = orders(id);
        assertThat(after).hasSize(2);
        ServiceRequest raised = after.get(neurology.getIdPart());
        assertThat(raised.getPriority()).isEqualTo(ServiceRequestPriority.URGENT);
        assertThat(raised.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(raised.getMeta().getVersionId()).isEqualTo("2");

        // Dropping the numbness again lowers the neurology referral and revokes the MRI; the third answer
        // changing nothing in the orders leaves them at their versions.
        update(
                id,
                amended(benign().answer("family-history", true)
                        .answer("spreading", true)
                        .answer("numbness-tingling", true)
                        .codes("triggers", "exercise")));
        Map<String, ServiceRequest> unchanged = orders(id);
        unchanged
                .values()
                .forEach(order -> assertThat(order.getMeta().getVersionId())
                        .as(order.getIdPart())
                        .isIn("1", "2"));
        assertThat(read(Observation.class, "Observation/" + id).getMeta().getVersionId())
                .isEqualTo("3");
        assertThat(read(Observation.class, "Observation/" + id)
                        .getNoteFirstRep()
                        .getText())
                .contains("the level stays Urgent");
    }

    @Test
    void aRetractionMarksTheResultTheActiveOrdersAndTheGuidanceEnteredInError() {
        String id = submit(numbness());

        HttpResponse<String> retracted = update(id, numbness().status(QuestionnaireResponseStatus.ENTEREDINERROR));

        assertThat(retracted.statusCode()).as(retracted.body()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, retracted).getStatus())
                .isEqualTo(QuestionnaireResponseStatus.ENTEREDINERROR);
        assertThat(read(Observation.class, "Observation/" + id).getStatus())
                .isEqualTo(Observation.ObservationStatus.ENTEREDINERROR);
        orders(id)
                .values()
                .forEach(order -> assertThat(order.getStatus()).isEqualTo(ServiceRequestStatus.ENTEREDINERROR));
        assertThat(read(Communication.class, "Communication/" + id).getStatus())
                .isEqualTo(Communication.CommunicationStatus.ENTEREDINERROR);
        Provenance provenance = read(Provenance.class, "Provenance/" + id + "-2");
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("NULLIFY");

        HttpResponse<String> again = update(id, amended(benign()));
        OperationOutcome refused = outcome(again, 422);
        assertThat(refused.getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("QuestionnaireResponse.status");
        assertThat(update(id, numbness().status(QuestionnaireResponseStatus.ENTEREDINERROR))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theSameAnswersAgainChangeNothing() {
        String id = submit(numbness());

        HttpResponse<String> same = update(id, numbness());
        HttpResponse<String> sameAmended = update(id, amended(numbness()));

        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(sameAmended.statusCode()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, sameAmended).getMeta().getVersionId())
                .isEqualTo("1");
        assertThat(read(Observation.class, "Observation/" + id).getMeta().getVersionId())
                .isEqualTo("1");
        assertThat(versions(id)).isZero();
    }

    @Test
    void changedAnswersWithStatusCompletedAreRefusedNamingTheStatus() {
        String id = submit(benign());

        OperationOutcome refused = outcome(update(id, numbness()), 422);

        assertThat(refused.getIssueFirstRep().getDiagnostics()).contains("'amended'");
        assertThat(refused.getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("QuestionnaireResponse.status");
        assertThat(versions(id)).isZero();
    }

    @Test
    void theSubjectAndTheQuestionnaireCannotChangeButItsVersionAndAuthoredCan() {
        String id = submit(benign());

        OperationOutcome subject = outcome(update(id, amended(numbness().subject("Patient/synthetic-other"))), 422);
        assertThat(subject.getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("QuestionnaireResponse.subject");
        OperationOutcome questionnaire = outcome(
                update(id, amended(numbness().questionnaire("http://twitchtriage.org/fhir/Questionnaire/other"))), 422);
        assertThat(questionnaire.getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("QuestionnaireResponse.questionnaire");
        assertThat(versions(id)).isZero();

        HttpResponse<String> newerVersion =
                update(id, amended(numbness().current().authored("2026-11-21T08:00:00Z")));
        assertThat(newerVersion.statusCode()).as(newerVersion.body()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, newerVersion).getQuestionnaire())
                .endsWith("|1.1.0");
    }

    @Test
    void aStaleIfMatchIsRefusedWith412AndChangesNothing() {
        String id = submit(benign());
        assertThat(update(id, amended(numbness()), "If-Match", "W/\"1\"").statusCode())
                .isEqualTo(200);

        HttpResponse<String> stale = update(id, amended(benign()), "If-Match", "W/\"1\"");

        OperationOutcome refused = outcome(stale, 412);
        assertThat(refused.getIssueFirstRep().getDiagnostics()).contains("version 2 is current");
        assertThat(read(Observation.class, "Observation/" + id).getMeta().getVersionId())
                .isEqualTo("2");
        assertThat(update(id, amended(benign()), "If-Match", "W/\"2\"").statusCode())
                .isEqualTo(200);
    }

    @Test
    void ofTwoConcurrentCorrectionsOneWinsAndTheOther412s() throws Exception {
        String id = submit(benign());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (ChecklistResponses change : List.of(numbness(), benign().answer("muscle-loss", true))) {
                Callable<Integer> call = () -> {
                    start.await();
                    return update(id, amended(change), "If-Match", "W/\"1\"").statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
        assertThat(versions(id)).isEqualTo(1);
        assertThat(read(Observation.class, "Observation/" + id).getMeta().getVersionId())
                .isEqualTo("2");
    }

    @Test
    void everyVersionCanBeReadAndTheHistoryListsThemNewestFirst() {
        String id = submit(benign());
        update(id, amended(numbness()));

        QuestionnaireResponse first = read(QuestionnaireResponse.class, "QuestionnaireResponse/" + id + "/_history/1");
        QuestionnaireResponse second = read(QuestionnaireResponse.class, "QuestionnaireResponse/" + id + "/_history/2");
        assertThat(first.getStatus()).isEqualTo(QuestionnaireResponseStatus.COMPLETED);
        assertThat(second.getStatus()).isEqualTo(QuestionnaireResponseStatus.AMENDED);
        Observation earlier = read(Observation.class, "Observation/" + id + "/_history/1");
        assertThat(earlier.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("self-care");
        assertThat(get("/Observation/" + id + "/_history/3").statusCode()).isEqualTo(404);

        Bundle history = read(Bundle.class, "QuestionnaireResponse/" + id + "/_history");
        assertThat(history.getEntry())
                .extracting(e -> e.getResource().getMeta().getVersionId())
                .containsExactly("2", "1");
        Bundle observations = read(Bundle.class, "Observation/" + id + "/_history");
        assertThat(observations.getEntry()).hasSize(2);
    }

    @Test
    void aConditionalUpdateFindsTheResponseByItsIdentifierAndCreatesWhenNoneMatches() {
        String value = UUID.randomUUID().toString();
        String id = submit(benign().identifier(SYSTEM, value));
        String condition = "/QuestionnaireResponse?identifier=" + encode(SYSTEM + "|" + value);

        HttpResponse<String> updated = put(
                condition,
                JSON,
                json(amended(numbness()).identifier(SYSTEM, value).build()));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, updated).getIdPart()).isEqualTo(id);
        assertThat(read(Observation.class, "Observation/" + id)
                        .getValueCodeableConcept()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("urgent");

        String other = UUID.randomUUID().toString();
        HttpResponse<String> created = put(
                "/QuestionnaireResponse?identifier=" + encode(SYSTEM + "|" + other),
                JSON,
                json(amended(numbness()).identifier(SYSTEM, other).build()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void anUpdateOfAnUnknownIdIs404() {
        HttpResponse<String> unknown = update(UUID.randomUUID().toString(), amended(numbness()));

        OperationOutcome outcome = outcome(unknown, 404);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("POST");
    }

    private HttpResponse<String> update(String id, ChecklistResponses response, String... headers) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        return put("/QuestionnaireResponse/" + id, JSON, json(body), headers);
    }

    private <T extends org.hl7.fhir.instance.model.api.IBaseResource> T read(Class<T> type, String path) {
        HttpResponse<String> response = get("/" + path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return parse(type, response);
    }

    /** The submission's orders by id, at their current versions. */
    private Map<String, ServiceRequest> orders(String id) {
        Map<String, ServiceRequest> orders = new LinkedHashMap<>();
        for (String orderId : jdbc.queryForList(
                "select resource_id from triage_resource where submission_id = ? and resource_type = 'ServiceRequest'"
                        + " order by resource_id",
                String.class,
                id)) {
            orders.put(orderId, read(ServiceRequest.class, "ServiceRequest/" + orderId));
        }
        return orders;
    }

    private int results(String id, String type) {
        return jdbc.queryForObject(
                "select count(*) from triage_resource where submission_id = ? and resource_type = ?",
                Integer.class,
                id,
                type);
    }

    /** How many versions of the response were replaced. */
    private int versions(String id) {
        return jdbc.queryForObject(
                "select count(*) from questionnaire_response_version where id = ?", Integer.class, id);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
