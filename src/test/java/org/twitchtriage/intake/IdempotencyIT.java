package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.IntegrationTest;

/** A response already accepted is returned, never stored twice: by identifier, and by If-None-Exist. */
class IdempotencyIT extends IntegrationTest {

    private static final String SYSTEM = "urn:test:portal";

    @Test
    void resubmittingTheSameIdentifierReturns200WithTheStoredResource() {
        String value = UUID.randomUUID().toString();
        String body = json(benign().identifier(SYSTEM, value).build());
        HttpResponse<String> first = post("/QuestionnaireResponse", JSON, body);
        int afterFirst = storedResponses();

        HttpResponse<String> second = post("/QuestionnaireResponse", JSON, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(id(second)).isEqualTo(id(first));
        assertThat(storedResponses()).isEqualTo(afterFirst);
    }

    @Test
    void resendingTheSameAnswersWithOtherMetaAndAuthoredTimeIsStillARetry() {
        String value = UUID.randomUUID().toString();
        HttpResponse<String> first = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier(SYSTEM, value).build()));
        QuestionnaireResponse again = benign().identifier(SYSTEM, value)
                .authored("2026-11-21T10:00:00Z")
                .build();
        again.getMeta().addTag("urn:test:tags", "resent", null);
        int afterFirst = storedResponses();

        HttpResponse<String> second = post("/QuestionnaireResponse", JSON, json(again));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(id(second)).isEqualTo(id(first));
        assertThat(storedResponses()).isEqualTo(afterFirst);
    }

    @Test
    void reusingAnAcceptedIdentifierForOtherContentIsAConflictAndStoresNothing() {
        String value = UUID.randomUUID().toString();
        HttpResponse<String> first = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier(SYSTEM, value).build()));
        assertThat(first.statusCode()).isEqualTo(201);
        int responses = storedResponses();
        int results = storedResults();
        List<QuestionnaireResponse> changed = List.of(
                benign().identifier(SYSTEM, value).codes("course", "improving").build(),
                benign().identifier(SYSTEM, value).without("triggers").build(),
                benign().identifier(SYSTEM, value)
                        .subject("Patient/synthetic-other")
                        .build(),
                benign().identifier(SYSTEM, value)
                        .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                        .build());

        for (QuestionnaireResponse response : changed) {
            HttpResponse<String> conflict = post("/QuestionnaireResponse", JSON, json(response));

            OperationOutcome.OperationOutcomeIssueComponent issue =
                    outcome(conflict, 409).getIssueFirstRep();
            assertThat(issue.getCode()).isEqualTo(OperationOutcome.IssueType.CONFLICT);
            assertThat(issue.getDiagnostics())
                    .contains("already accepted with other content")
                    .contains("update it")
                    .doesNotContain(value);
        }
        assertThat(storedResponses()).isEqualTo(responses);
        assertThat(storedResults()).isEqualTo(results);
    }

    @Test
    void theSameValueUnderAnotherSystemIsAnotherSubmission() {
        String value = UUID.randomUUID().toString();
        HttpResponse<String> first = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier(SYSTEM, value).build()));
        HttpResponse<String> second = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier("urn:test:other-portal", value).build()));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(id(second)).isNotEqualTo(id(first));
    }

    @Test
    void ifNoneExistOnTheIdentifierReturnsTheExistingResource() {
        String value = UUID.randomUUID().toString();
        HttpResponse<String> first = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier(SYSTEM, value).build()));
        int afterFirst = storedResponses();

        HttpResponse<String> second = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier(SYSTEM, value).build()),
                "If-None-Exist",
                "identifier=" + encode(SYSTEM + "|" + value));

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(id(second)).isEqualTo(id(first));
        assertThat(storedResponses()).isEqualTo(afterFirst);
    }

    private int storedResults() {
        return jdbc.queryForObject("select count(*) from triage_resource", Integer.class);
    }

    @Test
    void ifNoneExistOnOtherSearchParametersIsHonoured() {
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        HttpResponse<String> first = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().subject(patient).authored("2026-10-01T08:00:00Z").build()));
        int afterFirst = storedResponses();
        String search = "QuestionnaireResponse?subject=" + encode(patient) + "&authored=2026-10-01&status=completed";

        HttpResponse<String> second = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().subject(patient).authored("2026-10-01T08:00:00Z").build()),
                "If-None-Exist",
                search);
        HttpResponse<String> third = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().subject(patient).authored("2026-10-02T08:00:00Z").build()),
                "If-None-Exist",
                "subject=" + encode(patient) + "&authored=2026-10-02");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(id(second)).isEqualTo(id(first));
        assertThat(third.statusCode()).isEqualTo(201);
        assertThat(storedResponses()).isEqualTo(afterFirst + 1);
    }

    @Test
    void ifNoneExistMatchingSeveralResourcesFailsThePrecondition() {
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        post("/QuestionnaireResponse", JSON, json(benign().subject(patient).build()));
        post("/QuestionnaireResponse", JSON, json(benign().subject(patient).build()));
        int before = storedResponses();

        HttpResponse<String> response = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().subject(patient).build()),
                "If-None-Exist",
                "patient=" + encode(patient));

        assertThat(outcome(response, 412).getIssueFirstRep().getDiagnostics())
                .isEqualTo("If-None-Exist matches more than one QuestionnaireResponse");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void ifNoneExistWithAnUnsupportedParameterIsABadRequest() {
        int before = storedResponses();

        HttpResponse<String> response =
                post("/QuestionnaireResponse", JSON, json(benign().build()), "If-None-Exist", "colour=blue");

        assertThat(outcome(response, 400).getIssueFirstRep().getDiagnostics()).contains("colour");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void concurrentSubmissionsOfOneIdentifierStoreItOnce() throws Exception {
        String body =
                json(benign().identifier(SYSTEM, UUID.randomUUID().toString()).build());
        int before = storedResponses();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Callable<HttpResponse<String>> call = () -> post("/QuestionnaireResponse", JSON, body);
                futures.add(pool.submit(call));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            assertThat(responses)
                    .extracting(HttpResponse::statusCode)
                    .containsOnly(200, 201)
                    .filteredOn(status -> status == 201)
                    .hasSize(1);
            assertThat(responses).extracting(IdempotencyIT::id).containsOnly(id(responses.get(0)));
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedResponses()).isEqualTo(before + 1);
    }

    private static String id(HttpResponse<String> response) {
        return parse(QuestionnaireResponse.class, response).getIdPart();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
