package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.StoredRows;

/**
 * Corrections and retractions are recorded as creates are: one AuditEvent per update, action U, with the patient,
 * the response and the outcome; an update that is refused is recorded as the refusal it was.
 */
class UpdateAuditIT extends IntegrationTest {

    private static final String SYSTEM = "urn:test:audit-portal";

    private final String patient = "upd-" + UUID.randomUUID().toString().substring(0, 12);

    private ChecklistResponses numbness() {
        return benign().subject("Patient/" + patient).answer("numbness-tingling", true);
    }

    private ChecklistResponses corrected() {
        return benign().subject("Patient/" + patient).status(QuestionnaireResponseStatus.AMENDED);
    }

    private HttpResponse<String> update(String id, ChecklistResponses response, String... headers) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        return put("/QuestionnaireResponse/" + id, JSON, json(body), headers);
    }

    private List<AuditEvent> events() {
        HttpResponse<String> response = get("/AuditEvent?patient=" + patient);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    /** The newest AuditEvent of the patient, after checking how many there are. */
    private AuditEvent latest(int expectedCount) {
        List<AuditEvent> events = events();
        assertThat(events).hasSize(expectedCount);
        return events.get(0);
    }

    private static List<String> entities(AuditEvent event) {
        return event.getEntity().stream()
                .filter(AuditEventEntityComponent::hasWhat)
                .map(e -> e.getWhat().getReference())
                .toList();
    }

    private static List<String> subtypes(AuditEvent event) {
        return event.getSubtype().stream().map(Coding::getCode).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aCorrectionAndARetractionAreEachRecordedAsAnUpdateOfTheResponse() {
        String id = submit(numbness());

        HttpResponse<String> amended = update(id, corrected());
        assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);

        AuditEvent correction = latest(2);
        assertThat(subtypes(correction)).containsExactly("update");
        assertThat(correction.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(correction.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(correction.getOutcomeDesc()).isEqualTo("Success");
        assertThat(entities(correction)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
        assertThat(correction.getEntityFirstRep().getRole().getCode()).isEqualTo("1");
        assertThat(correction.getAgentFirstRep().getRequestor()).isTrue();
        assertThat(correction.getAgentFirstRep().getWho().getIdentifier().getValue())
                .isEqualTo("development");
        String stored = StoredRows.auditEventJson(jdbc, correction.getIdPart());
        assertThat(stored).doesNotContain("numbness", "calf-foot", "linkId", "amended");

        HttpResponse<String> retracted =
                update(id, benign().subject("Patient/" + patient).status(QuestionnaireResponseStatus.ENTEREDINERROR));
        assertThat(retracted.statusCode()).as(retracted.body()).isEqualTo(200);

        AuditEvent retraction = latest(3);
        assertThat(subtypes(retraction)).containsExactly("update");
        assertThat(retraction.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(retraction.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(entities(retraction)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
        assertThat(get("/AuditEvent?entity=QuestionnaireResponse/" + id + "&_count=10")
                        .body())
                .contains(retraction.getIdPart(), correction.getIdPart());
    }

    @Test
    void aConditionalUpdateRecordsTheResponseItFound() {
        String value = UUID.randomUUID().toString();
        String id = submit(numbness().identifier(SYSTEM, value));

        HttpResponse<String> updated = put(
                "/QuestionnaireResponse?identifier=" + encode(SYSTEM + "|" + value),
                JSON,
                json(corrected().identifier(SYSTEM, value).build()),
                "Prefer",
                "return=minimal");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

        AuditEvent event = latest(2);
        assertThat(subtypes(event)).containsExactly("update");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void aConditionalUpdateThatCreatesIsRecordedAsACreate() {
        String value = UUID.randomUUID().toString();

        HttpResponse<String> created = put(
                "/QuestionnaireResponse?identifier=" + encode(SYSTEM + "|" + value),
                JSON,
                json(numbness().identifier(SYSTEM, value).build()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = new IdType(created.headers().firstValue("Content-Location").orElseThrow()).getIdPart();

        AuditEvent event = latest(1);
        assertThat(subtypes(event)).containsExactly("update");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void aStaleVersionIsRecordedAsARefusedUpdate() {
        String id = submit(numbness());
        assertThat(update(id, corrected(), "If-Match", "W/\"1\"").statusCode()).isEqualTo(200);

        outcome(update(id, numbness().status(QuestionnaireResponseStatus.AMENDED), "If-Match", "W/\"1\""), 412);

        AuditEvent event = latest(3);
        assertThat(subtypes(event)).containsExactly("update");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("Refused: precondition failed (HTTP 412)");
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void aCorrectionThatMayNotBeMadeIsRecordedAsARefusedUpdateWithoutItsContent() {
        String id = submit(numbness());

        outcome(update(id, benign().subject("Patient/" + patient).codes("triggers", "stress")), 422);

        AuditEvent event = latest(2);
        assertThat(subtypes(event)).containsExactly("update");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("Refused: the submission is not valid (HTTP 422)");
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
        String stored = StoredRows.auditEventJson(jdbc, event.getIdPart());
        assertThat(stored).doesNotContain("stress", "triggers");
    }

    @Test
    void anUpdateOfARetractedResponseIsRecordedAsRefused() {
        String id = submit(numbness());
        update(id, numbness().status(QuestionnaireResponseStatus.ENTEREDINERROR));

        outcome(update(id, corrected()), 422);

        AuditEvent event = latest(3);
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void aCreateThatReusesAnAcceptedIdentifierWithOtherAnswersIsRecordedAsARefusedCreate() {
        String value = UUID.randomUUID().toString();
        submit(numbness().identifier(SYSTEM, value));

        outcome(
                post(
                        "/QuestionnaireResponse",
                        JSON,
                        json(benign().subject("Patient/" + patient)
                                .identifier(SYSTEM, value)
                                .build())),
                409);

        AuditEvent event = latest(2);
        assertThat(subtypes(event)).containsExactly("create");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("Refused: conflict (HTTP 409)");
        assertThat(entities(event)).containsExactly("Patient/" + patient);
    }
}
