package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.body;
import static org.twitchtriage.testing.ClinicianApi.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Accept and override on the result page, through the clinician API: verdicts stored per result with their
 * reason and comment, refused when they cannot be understood, counted against every rule that fired and the
 * level in the governance figures, and audited.
 */
class FeedbackIT extends IntegrationTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private ClinicianApi api;

    @BeforeEach
    void api() {
        api = new ClinicianApi(port);
    }

    @Test
    void theReasonsAreTheConceptsOfTheFeedbackReasonCodeSystem() {
        JsonNode reasons = body(api.get("/feedback-reasons"), 200);

        assertThat(texts(reasons, "code"))
                .containsExactly(
                        "level-too-high",
                        "level-too-low",
                        "already-assessed",
                        "answers-not-reliable",
                        "orders-not-appropriate",
                        "other");
        assertThat(texts(reasons, "system"))
                .containsOnly("http://twitchtriage.org/fhir/CodeSystem/triage-feedback-reason");
        assertThat(reasons.get(0).get("display").asText()).isEqualTo("Level too urgent for this patient");
    }

    @Test
    void anAcceptanceAndAnOverrideAreStoredAndCountedAgainstEveryRuleThatFired() {
        String id = submit(benign().answer("spreading", true)
                .answer("numbness-tingling", true)
                .subject("Patient/example-fb-" + RUN + "-1"));
        List<String> rules = texts(api.result(id).get("summary").get("firedRules"), "code");
        assertThat(rules).hasSizeGreaterThan(1);
        String level = api.result(id).get("summary").get("level").get("code").asText();
        JsonNode before = body(api.get("/rule-feedback"), 200);

        JsonNode accepted = body(api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\"}"), 201);
        JsonNode overridden = body(
                api.post(
                        "/results/" + id + "/feedback",
                        "{\"outcome\":\"overridden\",\"reason\":\"already-assessed\",\"comment\":\"Seen in clinic\"}"),
                201);

        assertThat(accepted.get("outcome").asText()).isEqualTo("accepted");
        assertThat(accepted.get("by").asText()).isEqualTo("development");
        assertThat(overridden.get("reason").get("display").asText())
                .isEqualTo("Already assessed or under care for this");
        JsonNode given = body(api.get("/results/" + id + "/feedback"), 200);
        assertThat(texts(given, "outcome")).containsExactly("accepted", "overridden");
        assertThat(texts(given, "channel")).containsOnly("result-page");
        assertThat(given.get(1).get("comment").asText()).isEqualTo("Seen in clinic");
        assertThat(given.get(1).get("observationVersion").asInt()).isEqualTo(1);
        JsonNode after = body(api.get("/rule-feedback"), 200);
        for (String rule : rules) {
            assertThat(count(after, "rules", rule, "accepted") - count(before, "rules", rule, "accepted"))
                    .isEqualTo(1);
            assertThat(count(after, "rules", rule, "overridden") - count(before, "rules", rule, "overridden"))
                    .isEqualTo(1);
        }
        assertThat(count(after, "levels", level, "overridden") - count(before, "levels", level, "overridden"))
                .isEqualTo(1);
        JsonNode levelTally = tally(after, "levels", level);
        assertThat(levelTally.get("display").asText()).isNotBlank();
        assertThat(texts(levelTally.get("reasons"), "code")).contains("already-assessed");
    }

    @Test
    void aVerdictThatCannotBeUnderstoodIsABadRequest() {
        String id = submit(benign().subject("Patient/example-fb-" + RUN + "-2"));

        assertProblem(api.post("/results/" + id + "/feedback", "{\"outcome\":\"overridden\"}"), 400, "needs a");
        assertProblem(
                api.post("/results/" + id + "/feedback", "{\"outcome\":\"overridden\",\"reason\":\"whim\"}"),
                400,
                "is not a reason");
        assertProblem(api.post("/results/" + id + "/feedback", "{\"outcome\":\"maybe\"}"), 400, "\"maybe\"");
        assertProblem(
                api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\",\"reason\":\"other\"}"),
                400,
                "gives no");
        assertProblem(api.post("/results/" + id + "/feedback", "{oops"), 400, "must be JSON");
        assertProblem(api.post("/results/example-fb-none/feedback", "{\"outcome\":\"accepted\"}"), 404, "no triage");
        assertThat(body(api.get("/results/" + id + "/feedback"), 200)).isEmpty();
    }

    @Test
    void aRetractedResultCanBeNeitherAcceptedNorOverridden() {
        String id = submit(benign().answer("muscle-loss", true).subject("Patient/example-fb-" + RUN + "-3"));
        QuestionnaireResponse retraction = benign().answer("muscle-loss", true)
                .subject("Patient/example-fb-" + RUN + "-3")
                .status(QuestionnaireResponseStatus.ENTEREDINERROR)
                .build();
        retraction.setId(id);
        assertThat(put("/QuestionnaireResponse/" + id, JSON, json(retraction)).statusCode())
                .isEqualTo(200);

        assertProblem(api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\"}"), 409, "retracted");
    }

    @Test
    void aVerdictIsAudited() {
        String patient = "example-fb-" + RUN + "-4";
        String id = submit(benign().subject("Patient/" + patient));

        body(api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\"}"), 201);

        Bundle events = parse(Bundle.class, get("/AuditEvent?patient=Patient/" + patient + "&_count=50"));
        List<AuditEvent> verdicts = events.getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .filter(event ->
                        event.getSubtype().stream().map(Coding::getCode).anyMatch("$feedback"::equals))
                .toList();
        assertThat(verdicts).hasSize(1);
        assertThat(verdicts.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(verdicts.get(0).getEntity())
                .extracting(entity -> entity.getWhat().getReference())
                .contains("QuestionnaireResponse/" + id);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String saying) {
        JsonNode problem = body(response, status);
        assertThat(problem.get("detail").asText()).contains(saying);
    }

    private static JsonNode tally(JsonNode figures, String kind, String code) {
        for (JsonNode tally : figures.get(kind)) {
            if (tally.get("code").asText().equals(code)) {
                return tally;
            }
        }
        return null;
    }

    private static long count(JsonNode figures, String kind, String code, String outcome) {
        JsonNode tally = tally(figures, kind, code);
        return tally == null ? 0 : tally.get(outcome).asLong();
    }
}
