package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/** With an authorization server: the agents come from the token, and only user or system scopes read the trail. */
class SecuredAuditIT extends FhirHttpTest {

    @DynamicPropertySource
    static void secured(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
    }

    private final String patient = "sec-" + UUID.randomUUID().toString().substring(0, 8);
    private final String patientToken = TestTokens.token(
            "person-1",
            "patient/QuestionnaireResponse.c patient/QuestionnaireResponse.rs patient/AuditEvent.rs",
            Map.of("patient", patient, "client_id", "portal"));
    private final String auditorToken = TestTokens.token(
            "auditor-1",
            "user/AuditEvent.rs",
            Map.of("fhirUser", "Practitioner/auditor", "client_id", "audit-console"));

    private HttpResponse<String> getAs(String pathAndQuery, String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(fhirBase() + pathAndQuery)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private List<AuditEvent> events(String query) {
        HttpResponse<String> response = getAs("/AuditEvent?" + query, auditorToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    private static AuditEventAgentComponent requestor(AuditEvent event) {
        return event.getAgent().stream()
                .filter(AuditEventAgentComponent::getRequestor)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPatientsSubmissionNamesThePatientAndThePortal() {
        HttpResponse<String> submitted = post(
                "/QuestionnaireResponse/$submit",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()),
                "Authorization",
                "Bearer " + patientToken);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);

        List<AuditEvent> events = events("patient=" + patient);

        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(requestor(event).getWho().getReference()).isEqualTo("Patient/" + patient);
        AuditEventAgentComponent client = event.getAgent().stream()
                .filter(a -> !a.getRequestor())
                .findFirst()
                .orElseThrow();
        assertThat(client.getWho().getIdentifier().getSystem()).isEqualTo(TestTokens.issuer());
        assertThat(client.getWho().getIdentifier().getValue()).isEqualTo("portal");
        assertThat(events("agent=Patient/" + patient)).hasSize(1);
        assertThat(events("agent=" + TestTokens.issuer() + "%7Cportal&patient=" + patient))
                .hasSize(1);
    }

    @Test
    void aPatientTokenIsRefusedTheTrailAndTheRefusalIsRecorded() {
        HttpResponse<String> refused = getAs("/AuditEvent?patient=" + patient, patientToken);

        outcome(refused, 403);
        List<AuditEvent> events = events("agent=Patient/" + patient);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getSubtypeFirstRep().getCode()).isEqualTo("search-type");
        assertThat(events.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(events.get(0).getOutcomeDesc()).isEqualTo("Refused: access denied (HTTP 403)");
    }

    @Test
    void aPatientsCorrectionIsRecordedUnderThePatientAndAnotherPatientsAttemptAsRefused() {
        String correcting = TestTokens.token(
                "person-1",
                "patient/QuestionnaireResponse.cu patient/QuestionnaireResponse.rs",
                Map.of("patient", patient, "client_id", "portal"));
        String other = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        String otherToken = TestTokens.token(
                "person-2",
                "patient/QuestionnaireResponse.cu patient/QuestionnaireResponse.rs",
                Map.of("patient", other, "client_id", "portal"));
        HttpResponse<String> created = post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign()
                        .subject("Patient/" + patient)
                        .answer("numbness-tingling", true)
                        .build()),
                "Authorization",
                "Bearer " + correcting);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = parse(QuestionnaireResponse.class, created).getIdPart();

        HttpResponse<String> amended = put(
                "/QuestionnaireResponse/" + id,
                JSON,
                json(correction(id, patient)),
                "Authorization",
                "Bearer " + correcting);
        assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);
        outcome(
                put(
                        "/QuestionnaireResponse/" + id,
                        JSON,
                        json(correction(id, other)),
                        "Authorization",
                        "Bearer " + otherToken),
                403);

        List<AuditEvent> mine = events("agent=Patient/" + patient);
        assertThat(mine).hasSize(2);
        assertThat(mine.get(0).getSubtypeFirstRep().getCode()).isEqualTo("update");
        assertThat(mine.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(mine.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        List<AuditEvent> refused = events("agent=Patient/" + other);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(refused.get(0).getOutcomeDesc()).isEqualTo("Refused: access denied (HTTP 403)");
        assertThat(refused.get(0).getEntity())
                .extracting(e -> e.getWhat().getReference())
                .contains("QuestionnaireResponse/" + id);
    }

    private static QuestionnaireResponse correction(String id, String subject) {
        QuestionnaireResponse body = ChecklistResponses.benign()
                .subject("Patient/" + subject)
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                .build();
        body.setId(id);
        return body;
    }

    @Test
    void anAuditorSearchIsRecordedUnderTheAuditor() {
        events("patient=" + patient);

        List<AuditEvent> mine = events("agent=Practitioner/auditor&_count=1");
        assertThat(mine).hasSize(1);
        assertThat(requestor(mine.get(0)).getWho().getIdentifier().getValue()).isEqualTo("auditor-1");
    }

    @Test
    void requestsWithoutATokenAreRefusedAndNotRecorded() {
        int before = jdbc.queryForObject("select count(*) from audit_event", Integer.class);

        outcome(getAs("/QuestionnaireResponse?patient=" + patient, null), 401);
        outcome(getAs("/AuditEvent", "not-a-token"), 401);

        assertThat(jdbc.queryForObject("select count(*) from audit_event", Integer.class))
                .isEqualTo(before);
    }
}
