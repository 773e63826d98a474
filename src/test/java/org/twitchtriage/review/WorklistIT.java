package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.body;
import static org.twitchtriage.testing.ClinicianApi.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.delivery.DeliveryStatusChanged;
import org.twitchtriage.delivery.ResultNeedsAttention;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;

/**
 * The clinician API in the default (order) mode on a database of its own: worklist order and filters, a
 * result's details, mark reviewed and its Task. Each test submits on days of its own and filters on them, so
 * the tests do not see each other's results.
 */
class WorklistIT extends FhirHttpTest {

    @Autowired
    private ApplicationEventPublisher events;

    @Autowired
    private PlatformTransactionManager transactions;

    private ClinicianApi api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.configureIsolated(registry, "worklist");
    }

    @BeforeEach
    void api() {
        api = new ClinicianApi(port);
    }

    @Test
    void listsTheMostUrgentLevelFirstThenTheNewest() {
        String selfCare = submit(benign(), "2025-01-05T10:00:00Z");
        String urgentOlder = submit(benign().answer("numbness-tingling", true), "2025-01-02T10:00:00Z");
        String immediate = submit(benign().answer("muscle-loss", true), "2025-01-01T10:00:00Z");
        String urgentNewer = submit(benign().answer("numbness-tingling", true), "2025-01-04T10:00:00Z");
        String soon = submit(benign().answer("spreading", true), "2025-01-06T10:00:00Z");

        assertThat(api.ids("?from=2025-01-01&to=2025-01-06"))
                .containsExactly(immediate, urgentNewer, urgentOlder, soon, selfCare);
        JsonNode page = api.results("?from=2025-01-01&to=2025-01-06&size=2&page=1");
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(texts(page.get("rows"), "submissionId")).containsExactly(urgentOlder, soon);
    }

    @Test
    void filtersToOnePatient() {
        String mine = submit(benign().subject("Patient/example-31"), "2025-02-10T10:00:00Z");
        String mineUrgent = submit(
                benign().answer("numbness-tingling", true).subject("Patient/example-31"), "2025-02-09T10:00:00Z");
        submit(benign().subject("Patient/example-32"), "2025-02-10T11:00:00Z");

        assertThat(api.ids("?patient=Patient/example-31")).containsExactly(mineUrgent, mine);
        assertThat(api.ids("?patient=example-31&level=self-care")).containsExactly(mine);
        assertThat(api.ids("?patient=example-33")).isEmpty();

        // The search of one patient's results names the patient in the audit trail.
        Bundle events = parse(Bundle.class, get("/AuditEvent?patient=Patient/example-31&_count=50"));
        assertThat(events.getEntry())
                .extracting(entry -> (AuditEvent) entry.getResource())
                .anySatisfy(event -> assertThat(event.getSubtype())
                        .anySatisfy(code -> assertThat(code.getCode()).isEqualTo("search-type")));
    }

    @Test
    void showsPatientLevelFiredRulesOrdersAndDeliveryOnEachRow() {
        String id =
                submit(benign().answer("numbness-tingling", true).subject("Patient/example-7"), "2025-02-01T10:00:00Z");

        JsonNode row = api.results("?from=2025-02-01&to=2025-02-01").get("rows").get(0);

        assertThat(row.get("submissionId").asText()).isEqualTo(id);
        assertThat(row.get("patient").asText()).isEqualTo("Patient/example-7");
        assertThat(row.get("level").get("code").asText()).isEqualTo("urgent");
        assertThat(row.get("level").get("display").asText()).isEqualTo("Urgent neurological assessment");
        assertThat(texts(row.get("firedRules"), "code")).containsExactly("neuro-deficit");
        Observation observation = parse(Observation.class, get("/Observation/" + id));
        assertThat(texts(row.get("firedRules"), "title"))
                .as("the rule's title as the Observation records it")
                .containsExactly(observation.getComponentFirstRep().getCode().getText());
        assertThat(texts(row.get("orders"), "code")).containsExactlyInAnyOrder("183521007", "306144006");
        assertThat(texts(row.get("orders"), "intent")).containsOnly("order");
        assertThat(row.get("delivery").asText()).isEqualTo("pending");
        assertThat(row.get("review").isNull()).isTrue();
    }

    @Test
    void filtersByLevelOneOrSeveral() {
        String urgent = submit(benign().answer("numbness-tingling", true), "2025-03-01T10:00:00Z");
        String soon = submit(benign().answer("spreading", true), "2025-03-01T11:00:00Z");
        submit(benign(), "2025-03-01T12:00:00Z");

        assertThat(api.ids("?from=2025-03-01&to=2025-03-01&level=urgent")).containsExactly(urgent);
        assertThat(api.ids("?from=2025-03-01&to=2025-03-01&level=soon&level=urgent"))
                .containsExactly(urgent, soon);
        assertThat(api.ids("?from=2025-03-01&to=2025-03-01&level=soon,urgent")).containsExactly(urgent, soon);
    }

    @Test
    void filtersByDaysAuthoredBothEndsIncluded() {
        submit(benign(), "2025-04-01T23:59:59Z");
        String second = submit(benign(), "2025-04-02T00:00:00Z");
        String third = submit(benign(), "2025-04-03T23:59:59Z");
        submit(benign(), "2025-04-04T00:00:00Z");

        assertThat(api.ids("?from=2025-04-02&to=2025-04-03")).containsExactly(third, second);
        assertThat(api.ids("?from=2025-04-04&to=2025-04-04")).hasSize(1);
        assertThat(api.ids("?to=2025-04-01")).doesNotContain(second, third);
    }

    @Test
    void filtersByReviewedOrNot() {
        String reviewed = submit(benign(), "2025-05-01T10:00:00Z");
        String notReviewed = submit(benign(), "2025-05-01T11:00:00Z");
        body(api.post("/results/" + reviewed + "/review"), 201);

        assertThat(api.ids("?from=2025-05-01&to=2025-05-01&reviewed=true")).containsExactly(reviewed);
        assertThat(api.ids("?from=2025-05-01&to=2025-05-01&reviewed=false")).containsExactly(notReviewed);
        assertThat(api.ids("?from=2025-05-01&to=2025-05-01")).containsExactly(notReviewed, reviewed);
    }

    @Test
    void filtersByDeliveryStatus() {
        String delivered = submit(benign(), "2025-06-01T10:00:00Z");
        String failed = submit(benign(), "2025-06-01T11:00:00Z");
        String pending = submit(benign(), "2025-06-01T12:00:00Z");
        // Delivery is off in this application, so the dispatcher's outcomes are written as it would write them.
        dispatched(delivered, DeliveryStatus.DELIVERED);
        dispatched(failed, DeliveryStatus.FAILED);

        String days = "?from=2025-06-01&to=2025-06-01";
        assertThat(api.ids(days + "&delivery=delivered")).containsExactly(delivered);
        assertThat(api.ids(days + "&delivery=failed")).containsExactly(failed);
        assertThat(api.ids(days + "&delivery=pending")).containsExactly(pending);
        assertThat(api.results(days + "&delivery=failed")
                        .get("rows")
                        .get(0)
                        .get("delivery")
                        .asText())
                .isEqualTo("failed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "?level=bogus",
                "?from=2025-13-01",
                "?to=yesterday",
                "?from=2025-02-02&to=2025-02-01",
                "?reviewed=maybe",
                "?delivery=lost",
                "?size=0",
                "?size=101",
                "?page=-1",
                "?page=x",
                "?patient=Patient/",
                "?patient=example&patient=other",
                "?subject=example",
                "?reviewed=true&reviewed=false"
            })
    void refusesFiltersItCannotUnderstandWithAProblem(String query) {
        HttpResponse<String> response = api.get("/results" + query);

        JsonNode problem = body(response, 400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problem.get("title").asText()).isEqualTo("Bad worklist filter");
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    @Test
    void detailGivesTheAnswersInWordsTheExplanationEveryOutputAndTheDeliveries() {
        String id =
                submit(benign().answer("weakness", true).answer("weakness-progressive", true), "2025-07-01T10:00:00Z");

        JsonNode detail = api.result(id);

        JsonNode answers = detail.get("answers");
        JsonNode duration = find(answers, "duration");
        assertThat(duration.get("question").asText()).isEqualTo("How long has the twitching been going on?");
        assertThat(texts(duration.get("answers"), null)).containsExactly("1 to 2 weeks");
        assertThat(texts(find(answers, "weakness-progressive").get("answers"), null))
                .containsExactly("Yes");
        assertThat(find(answers, "checklist").get("group").asBoolean()).isTrue();
        JsonNode explanation = detail.get("explanation");
        assertThat(texts(explanation.get("components"), "code")).contains("progressive-weakness", "single-flag");
        assertThat(String.join("\n", texts(explanation.get("notes"), null)))
                .contains("progressive-weakness")
                .doesNotContain("repeat(", "linkId", "where(");
        Observation observation = parse(Observation.class, get("/Observation/" + id));
        assertThat(texts(explanation.get("notes"), null))
                .containsExactlyElementsOf(
                        observation.getNote().stream().map(n -> n.getText()).toList());
        assertThat(texts(explanation.get("components"), "title"))
                .containsExactlyElementsOf(observation.getComponent().stream()
                        .map(c -> c.getCode().getText())
                        .toList());
        assertThat(detail.get("questionnaire").get("canonical").asText()).isEqualTo(ChecklistResponses.CANONICAL);
        assertThat(detail.get("questionnaire").get("version").asText()).isEqualTo("1.0.0");
        assertThat(detail.get("rules").get("canonical").asText())
                .isEqualTo(observation.getMethod().getText());
        assertThat(detail.get("rules").get("version").asText())
                .isEqualTo(observation.getMethod().getText().split("\\|")[1]);
        assertThat(detail.get("patientDisplay").isNull())
                .as("this response names no one")
                .isTrue();
        assertThat(texts(detail.get("outputs"), "reference"))
                .contains(
                        "QuestionnaireResponse/" + id,
                        "Observation/" + id,
                        "Communication/" + id,
                        "Provenance/" + id,
                        "ServiceRequest/" + id + "-183521007",
                        "ServiceRequest/" + id + "-306115009");
        JsonNode delivery = detail.get("deliveries").get(0);
        assertThat(delivery.get("batch").asText()).isEqualTo("triage");
        assertThat(delivery.get("status").asText()).isEqualTo("pending");
        assertThat(delivery.get("attempts").asInt()).isZero();
        assertThat(delivery.get("deliveryEnabled").asBoolean()).isFalse();
        assertThat(detail.get("approval").get("possible").asBoolean()).isFalse();
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() {
        for (String id : List.of("no-such-result", "a%20b", "x".repeat(65))) {
            JsonNode problem = body(api.get("/results/" + id), 404);
            assertThat(problem.get("title").asText()).isEqualTo("No such triage result");
            body(api.post("/results/" + id + "/review"), 404);
        }
    }

    @Test
    void markReviewedStoresOneCompletedTaskAboutTheResult() {
        String id = submit(benign().subject("Patient/example-3"), "2025-08-01T10:00:00Z");

        JsonNode first = body(api.post("/results/" + id + "/review"), 201);
        JsonNode again = body(api.post("/results/" + id + "/review"), 200);

        assertThat(first.get("task").asText()).isEqualTo("Task/" + id + "-review");
        assertThat(first.get("by").asText()).isEqualTo("development");
        assertThat(again.get("task").asText()).isEqualTo(first.get("task").asText());
        assertThat(again.get("created").asBoolean()).isFalse();
        Task task = parse(Task.class, get("/Task/" + id + "-review"));
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getCode().getCodingFirstRep().getSystem())
                .isEqualTo("http://twitchtriage.org/fhir/CodeSystem/clinician-task");
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("review");
        assertThat(task.getFocus().getReference()).isEqualTo("Observation/" + id);
        assertThat(task.getDescription()).isEqualTo("A clinician reviewed version 1 of the triage result");
        assertThat(task.getFor().getReference()).isEqualTo("Patient/example-3");
        assertThat(task.getOwner().getDisplay()).isEqualTo("development");
        assertThat(task.getRequester().getDisplay()).isEqualTo("development");
        assertThat(task.getExecutionPeriod().getEnd()).isNotNull();
        assertThat(task.getAuthoredOn()).isEqualTo(task.getLastModified());
        assertThat(api.result(id).get("summary").get("review").get("by").asText())
                .isEqualTo("development");
        assertThat(jdbc.queryForObject(
                        "select count(*) from triage_resource where resource_type = 'Task'" + " and submission_id = ?",
                        Integer.class,
                        id))
                .isEqualTo(1);
    }

    @Test
    void reviewTasksAreSearchableByFocusAndPatient() {
        String id = submit(benign().subject("Patient/example-4"), "2025-09-01T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);

        assertThat(tasks("?focus=Observation/" + id)).containsExactly(id + "-review");
        assertThat(tasks("?patient=Patient/example-4")).containsExactly(id + "-review");
        assertThat(tasks("?focus=ServiceRequest/" + id + "-183521007")).isEmpty();
        assertThat(tasks("?focus=Observation/no-such-result")).isEmpty();
    }

    @Test
    void approvalIsRefusedWhereOrdersArePlacedDirectly() {
        String id = submit(benign().answer("numbness-tingling", true), "2025-10-01T10:00:00Z");

        JsonNode problem = body(api.post("/results/" + id + "/approve"), 409);

        assertThat(problem.get("detail").asText()).contains("triage.intent=order");
        assertThat(jdbc.queryForObject("select count(*) from triage_resource where origin = 'approval'", Integer.class))
                .isZero();
    }

    @Test
    void aCorrectedResultReturnsUnreviewedMarkedWithTheLevelItChangedFrom() {
        String days = "?from=2025-11-01&to=2025-11-01";
        String id = submit(benign().answer("numbness-tingling", true), "2025-11-01T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);
        assertThat(api.ids(days + "&reviewed=true")).containsExactly(id);

        correct(id, benign(), "2025-11-01T12:00:00Z");

        assertThat(api.ids(days + "&reviewed=true")).isEmpty();
        assertThat(api.ids(days + "&reviewed=false")).containsExactly(id);
        JsonNode row = api.results(days).get("rows").get(0);
        assertThat(row.get("level").get("code").asText()).isEqualTo("self-care");
        assertThat(row.get("previousLevel").get("code").asText()).isEqualTo("urgent");
        assertThat(row.get("previousLevel").get("display").asText()).isEqualTo("Urgent neurological assessment");
        assertThat(row.get("revision").asInt()).isEqualTo(2);
        assertThat(row.get("retracted").asBoolean()).isFalse();
        assertThat(row.get("review").isNull()).isTrue();
        assertThat(row.get("authored").asText()).isEqualTo("2025-11-01T12:00:00Z");
        assertThat(texts(row.get("orders"), "status")).containsOnly("revoked");
        assertThat(api.ids("?level=urgent&from=2025-11-01&to=2025-11-01")).isEmpty();

        JsonNode again = body(api.post("/results/" + id + "/review"), 201);

        assertThat(again.get("task").asText()).isEqualTo("Task/" + id + "-review-2");
        assertThat(parse(Task.class, get("/Task/" + id + "-review-2")).getDescription())
                .isEqualTo("A clinician reviewed version 2 of the triage result");
        assertThat(body(api.post("/results/" + id + "/review"), 200).get("task").asText())
                .isEqualTo("Task/" + id + "-review-2");
        assertThat(api.ids(days + "&reviewed=true")).containsExactly(id);
        assertThat(tasks("?focus=Observation/" + id)).containsExactlyInAnyOrder(id + "-review", id + "-review-2");
    }

    @Test
    void anAmendmentThatKeepsTheLevelStillReturnsUnreviewed() {
        String days = "?from=2025-11-02&to=2025-11-02";
        String id = submit(benign().answer("numbness-tingling", true), "2025-11-02T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);

        correct(id, benign().answer("numbness-tingling", true).codes("triggers", "exercise"));

        JsonNode row = api.results(days).get("rows").get(0);
        assertThat(row.get("revision").asInt()).isEqualTo(2);
        assertThat(row.get("previousLevel").get("code").asText()).isEqualTo("urgent");
        assertThat(row.get("level").get("code").asText()).isEqualTo("urgent");
        assertThat(row.get("review").isNull()).isTrue();
    }

    @Test
    void aRetractedResultIsMarkedRetractedAndUnreviewed() {
        String days = "?from=2025-11-03&to=2025-11-03";
        String id = submit(benign().answer("numbness-tingling", true), "2025-11-03T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);

        HttpResponse<String> retracted = update(
                id,
                benign().answer("numbness-tingling", true)
                        .authored("2025-11-03T10:00:00Z")
                        .status(QuestionnaireResponseStatus.ENTEREDINERROR));
        assertThat(retracted.statusCode()).as(retracted.body()).isEqualTo(200);

        JsonNode row = api.results(days).get("rows").get(0);
        assertThat(row.get("retracted").asBoolean()).isTrue();
        assertThat(row.get("revision").asInt()).isEqualTo(2);
        assertThat(row.get("review").isNull()).isTrue();
        assertThat(texts(row.get("orders"), "status")).containsOnly("entered-in-error");
        assertThat(api.ids(days + "&reviewed=false")).containsExactly(id);
        JsonNode detail = api.result(id);
        assertThat(detail.get("explanation").get("status").asText()).isEqualTo("entered-in-error");
        assertThat(detail.get("versions").get(0).get("status").asText()).isEqualTo("entered-in-error");
        assertThat(detail.get("versions").get(0).get("resultStatus").asText()).isEqualTo("entered-in-error");
        body(api.post("/results/" + id + "/review"), 201);
        assertThat(api.ids(days + "&reviewed=true")).containsExactly(id);
    }

    @Test
    void aResultThatNeedsAttentionShowsWhyAndIsUnreviewedUntilReviewedAgain() {
        String days = "?from=2025-11-04&to=2025-11-04";
        String id = submit(benign().answer("numbness-tingling", true), "2025-11-04T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);
        String reason = "The EHR completed the MRI referral; it was left completed there.";

        needsAttention(id, reason);
        needsAttention(id, "A second thing.");

        JsonNode row = api.results(days).get("rows").get(0);
        assertThat(row.get("attention").asText()).isEqualTo(reason + " A second thing.");
        assertThat(row.get("review").isNull()).isTrue();
        assertThat(row.get("revision").asInt()).as("no correction").isEqualTo(1);
        assertThat(api.ids(days + "&reviewed=false")).containsExactly(id);
        assertThat(api.result(id).get("summary").get("attention").asText()).startsWith(reason);

        JsonNode review = body(api.post("/results/" + id + "/review"), 201);

        assertThat(review.get("task").asText()).isEqualTo("Task/" + id + "-review-2");
        JsonNode seen = api.results(days).get("rows").get(0);
        assertThat(seen.get("attention").isNull()).isTrue();
        assertThat(seen.get("review").get("by").asText()).isEqualTo("development");
    }

    @Test
    void theDetailListsEachVersionNewestFirstWithItsLevelOrdersAndReviews() {
        String id = submit(benign().answer("numbness-tingling", true), "2025-11-05T10:00:00Z");
        body(api.post("/results/" + id + "/review"), 201);
        correct(id, benign());

        JsonNode versions = api.result(id).get("versions");

        assertThat(versions).hasSize(2);
        JsonNode now = versions.get(0);
        assertThat(now.get("version").asInt()).isEqualTo(2);
        assertThat(now.get("current").asBoolean()).isTrue();
        assertThat(now.get("status").asText()).isEqualTo("amended");
        assertThat(now.get("level").get("code").asText()).isEqualTo("self-care");
        assertThat(now.get("result").asText()).isEqualTo("Observation/" + id + "/_history/2");
        assertThat(now.get("resultStatus").asText()).isEqualTo("amended");
        assertThat(texts(now.get("orders"), "status")).containsExactly("revoked", "revoked");
        assertThat(texts(now.get("orders"), "version")).containsOnly("2");
        assertThat(now.get("reviews")).isEmpty();
        JsonNode first = versions.get(1);
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("current").asBoolean()).isFalse();
        assertThat(first.get("status").asText()).isEqualTo("completed");
        assertThat(first.get("level").get("display").asText()).isEqualTo("Urgent neurological assessment");
        assertThat(first.get("result").asText()).isEqualTo("Observation/" + id + "/_history/1");
        assertThat(first.get("orders"))
                .extracting(o -> o.get("code").asText() + " " + o.get("status").asText() + " "
                        + o.get("priority").asText() + " v" + o.get("version").asText())
                .containsExactlyInAnyOrder("183521007 active urgent v1", "306144006 active urgent v1");
        assertThat(texts(first.get("reviews"), "task")).containsExactly("Task/" + id + "-review");
        assertThat(api.result(id).get("summary").get("review").isNull()).isTrue();
    }

    @Test
    void theCapabilityStatementOffersTaskReadAndSearch() {
        CapabilityStatement capabilities = parse(CapabilityStatement.class, get("/metadata"));

        CapabilityStatement.CapabilityStatementRestResourceComponent task =
                capabilities.getRestFirstRep().getResource().stream()
                        .filter(r -> "Task".equals(r.getType()))
                        .findFirst()
                        .orElseThrow();
        assertThat(task.getInteraction()).extracting(i -> i.getCode().toCode()).contains("read", "search-type");
        assertThat(task.getSearchParam()).extracting(p -> p.getName()).contains("focus", "patient", "subject");
    }

    @Test
    void theWorklistPagesAreServed() {
        HttpResponse<String> redirect =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/clinician"))
                        .GET()
                        .build());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/clinician/");
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/clinician/"))
                .GET()
                .build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Triage worklist");
    }

    private List<String> tasks(String query) {
        Bundle bundle = parse(Bundle.class, get("/Task" + query));
        return bundle.getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }

    @Test
    void viewingReviewingAndRefusalsAreAudited() {
        String id = submit(benign().subject("Patient/example-audit"), "2025-09-01T10:00:00Z");
        body(api.get("/results/" + id), 200);
        JsonNode review = body(api.post("/results/" + id + "/review"), 201);
        String task = review.get("task").asText();
        body(api.post("/results/" + id + "/approve"), 409);

        Bundle events = parse(Bundle.class, get("/AuditEvent?entity=QuestionnaireResponse/" + id + "&_count=50"));
        List<AuditEvent> audited = events.getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .toList();
        assertThat(audited).anySatisfy(event -> {
            assertThat(event.getSubtype())
                    .anySatisfy(code -> assertThat(code.getCode()).isEqualTo("$mark-reviewed"));
            assertThat(event.getOutcome().toCode()).isEqualTo("0");
            assertThat(event.getEntity())
                    .anySatisfy(entity ->
                            assertThat(entity.getWhat().getReference()).isEqualTo(task));
            assertThat(event.getEntity())
                    .anySatisfy(entity ->
                            assertThat(entity.getWhat().getReference()).isEqualTo("Patient/example-audit"));
        });
        assertThat(audited).anySatisfy(event -> {
            assertThat(event.getSubtype())
                    .anySatisfy(code -> assertThat(code.getCode()).isEqualTo("$approve-orders"));
            assertThat(event.getOutcome().toCode()).isEqualTo("4");
        });
        assertThat(audited).anySatisfy(event -> {
            assertThat(event.getSubtype())
                    .anySatisfy(code -> assertThat(code.getCode()).isEqualTo("read"));
            assertThat(event.getAction().toCode()).isEqualTo("R");
        });
    }

    @Test
    void detailShowsTheSubjectsDisplayWhenTheResponseCarriesOne() {
        QuestionnaireResponse response =
                benign().authored("2025-07-02T10:00:00Z").build();
        response.getSubject().setDisplay("Test patient 12");
        String id = submit(response);

        assertThat(api.result(id).get("patientDisplay").asText()).isEqualTo("Test patient 12");
    }

    @Test
    void detailShowsTheVersionABareUrlStoodFor() {
        String id = submit(benign().questionnaire(ChecklistResponses.QUESTIONNAIRE), "2025-07-03T10:00:00Z");

        JsonNode questionnaire = api.result(id).get("questionnaire");

        assertThat(questionnaire.get("canonical").asText()).isEqualTo(ChecklistResponses.CANONICAL);
        assertThat(questionnaire.get("version").asText()).isEqualTo("1.0.0");
        assertThat(questionnaire.get("title").asText()).isNotBlank();
    }

    /** What the dispatcher does with an outcome: changes the delivery and tells so, in one transaction. */
    private void dispatched(String id, DeliveryStatus status) {
        new TransactionTemplate(transactions).executeWithoutResult(transaction -> {
            jdbc.update("update delivery set status = ? where submission_id = ?", status.name(), id);
            events.publishEvent(new DeliveryStatusChanged(id, DeliveryBatch.TRIAGE, status));
        });
    }

    /** What the delivery module does when the EHR kept something as it had it: tells so, in a transaction. */
    private void needsAttention(String id, String reason) {
        new TransactionTemplate(transactions)
                .executeWithoutResult(transaction -> events.publishEvent(new ResultNeedsAttention(id, reason)));
    }

    /** A correction of the response with the given answers, authored when the stored one was. */
    private void correct(String id, ChecklistResponses answers) {
        QuestionnaireResponse stored = parse(QuestionnaireResponse.class, get("/QuestionnaireResponse/" + id));
        correct(id, answers, stored.getAuthoredElement().getValueAsString());
    }

    private void correct(String id, ChecklistResponses answers, String authored) {
        QuestionnaireResponse body = answers.status(QuestionnaireResponseStatus.AMENDED)
                .authored(authored)
                .build();
        body.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(body));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private HttpResponse<String> update(String id, ChecklistResponses response) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        return put("/QuestionnaireResponse/" + id, JSON, json(body));
    }

    private String submit(ChecklistResponses builder, String authored) {
        return submit(builder.authored(authored).build());
    }

    private static JsonNode find(JsonNode answers, String linkId) {
        for (JsonNode answer : answers) {
            if (linkId.equals(answer.get("linkId").asText())) {
                return answer;
            }
        }
        throw new AssertionError("No answer " + linkId + " in " + answers);
    }
}
