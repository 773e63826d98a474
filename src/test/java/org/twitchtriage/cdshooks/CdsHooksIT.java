package org.twitchtriage.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twitchtriage.testing.CdsHooks;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.IntegrationTest;

/**
 * The CDS Hooks service in development mode (no trusted issuer: open on loopback, no JWT): discovery, the
 * patient-view card for each level, no card without a recent result, what the service ignores and refuses, the
 * audit of a call, and the EHR's feedback on cards counted in the governance figures.
 */
class CdsHooksIT extends IntegrationTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static int patients;

    private ClinicianApi api;

    @BeforeEach
    void api() {
        api = new ClinicianApi(port);
    }

    @Test
    void discoveryListsThePatientViewServiceWithoutPrefetch() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services"))
                        .GET()
                        .build());

        JsonNode services = CdsHooks.json(response, 200).get("services");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(services).hasSize(1);
        JsonNode service = services.get(0);
        assertThat(service.get("hook").asText()).isEqualTo("patient-view");
        assertThat(service.get("id").asText()).isEqualTo(CdsHooks.SERVICE);
        assertThat(service.get("title").asText()).isNotBlank();
        assertThat(service.get("description").asText()).contains("90 days");
        assertThat(service.has("prefetch")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "muscle-loss, immediate, critical",
        "numbness-tingling, urgent, warning",
        "spreading, soon, warning",
        ", self-care, info"
    })
    void aCardPerLevelSaysTheLevelRulesOrdersReviewAndRulesVersion(String answeredYes, String level, String indicator) {
        String patient = patient();
        ChecklistResponses answers = benign().subject("Patient/" + patient);
        if (answeredYes != null) {
            answers.answer(answeredYes, true);
        }
        String id = submit(answers);
        JsonNode summary = api.result(id).get("summary");
        assertThat(summary.get("level").get("code").asText()).isEqualTo(level);

        JsonNode cards = CdsHooks.json(CdsHooks.call(port, CdsHooks.patientView(patient), null), 200)
                .get("cards");

        assertThat(cards).hasSize(1);
        JsonNode card = cards.get(0);
        assertThat(card.get("indicator").asText()).isEqualTo(indicator);
        String text = card.get("summary").asText();
        assertThat(text.length()).isLessThan(140);
        assertThat(text).contains(summary.get("level").get("display").asText()).contains("2026-11-20");
        assertThat(UUID.fromString(card.get("uuid").asText())).isNotNull();
        String detail = card.get("detail").asText();
        assertThat(detail).contains("**Rules that fired**", "not yet reviewed by a clinician");
        for (String rule : texts(summary.get("firedRules"), "title")) {
            assertThat(detail).contains(rule);
        }
        for (JsonNode order : summary.get("orders")) {
            assertThat(detail)
                    .contains(order.get("display").asText() + ": "
                            + order.get("intent").asText() + ", status "
                            + order.get("status").asText() + ", priority "
                            + order.get("priority").asText());
        }
        assertThat(detail)
                .contains("**Rules:** `"
                        + api.result(id).get("rules").get("canonical").asText());
        assertThat(card.get("source").get("label").asText()).isEqualTo("Twitch triage");
        JsonNode topic = card.get("source").get("topic");
        assertThat(topic.get("system").asText()).isEqualTo("http://twitchtriage.org/fhir/CodeSystem/triage-result");
        assertThat(topic.get("code").asText()).isEqualTo("muscle-twitch-triage");
        assertThat(topic.get("display").asText()).isEqualTo("Muscle twitch triage result");
        assertThat(card.has("suggestions")).isFalse();
        assertThat(texts(card.get("overrideReasons"), "code")).contains("level-too-high", "other");
        JsonNode links = card.get("links");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("type").asText()).isEqualTo("smart");
        assertThat(links.get(0).get("url").asText()).isEqualTo("http://localhost:" + port + "/clinician/launch");
        assertThat(links.get(0).get("label").asText()).isEqualTo("Open the triage result in Twitch triage");
        assertThat(links.get(0).get("appContext").asText()).isEqualTo("QuestionnaireResponse/" + id);
    }

    @Test
    void theSameResultKeepsItsCardUuidAndAReviewShows() {
        String patient = patient();
        String id = submit(benign().answer("numbness-tingling", true).subject("Patient/" + patient));
        JsonNode first = card(patient);

        ClinicianApi.body(api.post("/results/" + id + "/review"), 201);
        JsonNode again = card(patient);

        assertThat(again.get("uuid").asText()).isEqualTo(first.get("uuid").asText());
        assertThat(again.get("detail").asText()).contains("**Review:** reviewed by a clinician");
    }

    @Test
    void noCardWithoutAResultWithinTheWindowOrForARetractedOne() {
        String none = patient();
        assertThat(cards(none)).isEmpty();

        String old = patient();
        submit(benign().answer("numbness-tingling", true)
                .subject("Patient/" + old)
                .authored("2026-05-01T09:00:00Z"));
        assertThat(cards(old)).isEmpty();

        String retracted = patient();
        String id = submit(benign().answer("muscle-loss", true).subject("Patient/" + retracted));
        assertThat(cards(retracted)).hasSize(1);
        QuestionnaireResponse retraction = benign().answer("muscle-loss", true)
                .subject("Patient/" + retracted)
                .status(QuestionnaireResponseStatus.ENTEREDINERROR)
                .build();
        retraction.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(retraction));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(cards(retracted)).isEmpty();
    }

    @Test
    void theNewestResultMakesTheCard() {
        String patient = patient();
        submit(benign().answer("muscle-loss", true)
                .subject("Patient/" + patient)
                .authored("2026-11-10T09:00:00Z"));
        submit(benign().subject("Patient/" + patient).authored("2026-11-21T09:00:00Z"));

        JsonNode card = card(patient);

        assertThat(card.get("indicator").asText()).isEqualTo("info");
        assertThat(card.get("summary").asText()).contains("2026-11-21");
    }

    @Test
    void extraPrefetchAndContextFieldsAreIgnored() {
        String patient = patient();
        submit(benign().answer("spreading", true).subject("Patient/" + patient));
        ObjectNode request = CdsHooks.patientView(patient);
        ((ObjectNode) request.get("context")).put("appointmentIds", "example-a1");
        ((ObjectNode) request.get("context")).putObject("selections").put("anything", 1);
        ((ObjectNode) request.get("prefetch")).putObject("conditions").put("resourceType", "Bundle");
        request.putObject("extension").put("com.example.hint", true);

        JsonNode cards = CdsHooks.json(CdsHooks.call(port, request, null), 200).get("cards");

        assertThat(cards).hasSize(1);
        assertThat(cards.get(0).get("indicator").asText()).isEqualTo("warning");
    }

    @Test
    void aRequestThatIsNotAPatientViewCallIsABadRequestWithAnOperationOutcome() {
        ObjectNode noHook = CdsHooks.patientView(patient());
        noHook.remove("hook");
        ObjectNode noInstance = CdsHooks.patientView(patient());
        noInstance.remove("hookInstance");
        ObjectNode noPatient = CdsHooks.patientView(patient());
        ((ObjectNode) noPatient.get("context")).remove("patientId");
        ObjectNode otherHook = CdsHooks.patientView(patient());
        otherHook.put("hook", "order-sign");

        assertBadRequest(CdsHooks.post(port, "/cds-services/" + CdsHooks.SERVICE, "{not json", null), "not JSON");
        assertBadRequest(CdsHooks.call(port, noHook, null), "\"hook\"");
        assertBadRequest(CdsHooks.call(port, noInstance, null), "\"hookInstance\"");
        assertBadRequest(CdsHooks.call(port, noPatient, null), "\"patientId\"");
        assertBadRequest(CdsHooks.call(port, otherHook, null), "order-sign");
        HttpResponse<String> unknown = CdsHooks.post(
                port, "/cds-services/another-service", CdsHooks.patientView("x").toString(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aCallThatReturnsACardIsAuditedLikeARead() {
        String patient = patient();
        String id = submit(benign().answer("numbness-tingling", true).subject("Patient/" + patient));

        card(patient);

        Bundle events = parse(Bundle.class, get("/AuditEvent?patient=Patient/" + patient + "&_count=50"));
        List<AuditEvent> calls = events.getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .filter(event ->
                        event.getSubtype().stream().map(Coding::getCode).anyMatch("$cds-patient-view"::equals))
                .toList();
        assertThat(calls).hasSize(1);
        AuditEvent call = calls.get(0);
        assertThat(call.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(call.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(call.getEntity())
                .extracting(entity -> entity.getWhat().getReference())
                .contains("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void feedbackOnACardIsStoredAgainstItsResultAndCountedPerRuleAndLevel() {
        String patient = patient();
        String id = submit(benign().answer("numbness-tingling", true).subject("Patient/" + patient));
        JsonNode card = card(patient);
        List<String> rules = texts(api.result(id).get("summary").get("firedRules"), "code");
        JsonNode before = api.get("/rule-feedback").statusCode() == 200
                ? ClinicianApi.body(api.get("/rule-feedback"), 200)
                : null;

        String overriddenBody = CdsHooks.feedback(
                        card.get("uuid").asText(), "overridden", "level-too-high", "Seen last week")
                .toString();
        HttpResponse<String> overridden =
                CdsHooks.post(port, "/cds-services/" + CdsHooks.SERVICE + "/feedback", overriddenBody, null);
        assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
        // The EHR sending the same feedback again, as after a lost answer: stored once.
        HttpResponse<String> retried =
                CdsHooks.post(port, "/cds-services/" + CdsHooks.SERVICE + "/feedback", overriddenBody, null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        HttpResponse<String> accepted = CdsHooks.post(
                port,
                "/cds-services/" + CdsHooks.SERVICE + "/feedback",
                CdsHooks.feedback(card.get("uuid").asText(), "accepted", null, null)
                        .toString(),
                null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);

        JsonNode given = ClinicianApi.body(api.get("/results/" + id + "/feedback"), 200);
        assertThat(texts(given, "outcome")).containsExactly("overridden", "accepted");
        assertThat(texts(given, "channel")).containsOnly("cds-card");
        assertThat(given.get(0).get("reason").get("code").asText()).isEqualTo("level-too-high");
        assertThat(given.get(0).get("comment").asText()).isEqualTo("Seen last week");
        JsonNode after = ClinicianApi.body(api.get("/rule-feedback"), 200);
        for (String rule : rules) {
            assertThat(count(after, "rules", rule, "overridden") - count(before, "rules", rule, "overridden"))
                    .isEqualTo(1);
            assertThat(count(after, "rules", rule, "accepted") - count(before, "rules", rule, "accepted"))
                    .isEqualTo(1);
            assertThat(reasonCount(after, rule, "level-too-high") - reasonCount(before, rule, "level-too-high"))
                    .isEqualTo(1);
        }
        assertThat(count(after, "levels", "urgent", "overridden") - count(before, "levels", "urgent", "overridden"))
                .isEqualTo(1);
    }

    @Test
    void feedbackOnAnUnknownCardOrWithoutOutcomeIsRefusedAndStoresNothing() {
        HttpResponse<String> unknown = CdsHooks.post(
                port,
                "/cds-services/" + CdsHooks.SERVICE + "/feedback",
                CdsHooks.feedback(UUID.randomUUID().toString(), "accepted", null, null)
                        .toString(),
                null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(parse(OperationOutcome.class, unknown).getIssueFirstRep().getDiagnostics())
                .contains("issued no card");

        String patient = patient();
        String id = submit(benign().answer("spreading", true).subject("Patient/" + patient));
        String card = card(patient).get("uuid").asText();
        ObjectNode twoItems = CdsHooks.feedback(card, "accepted", null, null);
        ((com.fasterxml.jackson.databind.node.ArrayNode) twoItems.get("feedback"))
                .addObject()
                .put("card", card)
                .put("outcome", "ignored")
                .put("outcomeTimestamp", "2026-11-26T10:00:00Z");
        HttpResponse<String> badOutcome =
                CdsHooks.post(port, "/cds-services/" + CdsHooks.SERVICE + "/feedback", twoItems.toString(), null);
        assertThat(badOutcome.statusCode()).as(badOutcome.body()).isEqualTo(400);
        HttpResponse<String> foreignReason = CdsHooks.post(
                port,
                "/cds-services/" + CdsHooks.SERVICE + "/feedback",
                CdsHooks.feedback(card, "overridden", "not-a-reason", null).toString(),
                null);
        assertThat(foreignReason.statusCode()).as(foreignReason.body()).isEqualTo(400);
        assertThat(ClinicianApi.body(api.get("/results/" + id + "/feedback"), 200))
                .isEmpty();
    }

    private static long count(JsonNode figures, String kind, String code, String outcome) {
        if (figures == null) {
            return 0;
        }
        for (JsonNode tally : figures.get(kind)) {
            if (tally.get("code").asText().equals(code)) {
                return tally.get(outcome).asLong();
            }
        }
        return 0;
    }

    private static long reasonCount(JsonNode figures, String rule, String reason) {
        if (figures == null) {
            return 0;
        }
        for (JsonNode tally : figures.get("rules")) {
            if (tally.get("code").asText().equals(rule)) {
                for (JsonNode counted : tally.get("reasons")) {
                    if (reason.equals(counted.get("code").asText())) {
                        return counted.get("count").asLong();
                    }
                }
            }
        }
        return 0;
    }

    private void assertBadRequest(HttpResponse<String> response, String saying) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        OperationOutcome outcome = parse(OperationOutcome.class, response);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(saying);
    }

    private JsonNode cards(String patient) {
        return CdsHooks.json(CdsHooks.call(port, CdsHooks.patientView(patient), null), 200)
                .get("cards");
    }

    private JsonNode card(String patient) {
        JsonNode cards = cards(patient);
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }

    private static synchronized String patient() {
        return "example-cds-" + RUN + "-" + (++patients);
    }
}
