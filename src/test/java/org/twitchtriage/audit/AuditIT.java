package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.StoredRows;

/**
 * Every FHIR interaction on patient data leaves exactly one AuditEvent, shaped after BALP, and the trail is
 * searchable by patient, date, agent and entity (development mode: the caller is the development agent).
 */
class AuditIT extends IntegrationTest {

    private static String newPatient() {
        return "audit-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private QuestionnaireResponse submitted(String patient) {
        return response(submittedBundle(patient));
    }

    private static QuestionnaireResponse response(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(QuestionnaireResponse.class::isInstance)
                .map(QuestionnaireResponse.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private Bundle submittedBundle(String patient) {
        HttpResponse<String> response = post(
                "/QuestionnaireResponse/$submit",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response);
    }

    private Bundle audit(String query) {
        HttpResponse<String> response = get("/AuditEvent?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response);
    }

    private List<AuditEvent> events(String query) {
        return audit(query).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    private AuditEvent onlyEventOf(String patient) {
        List<AuditEvent> events = events("patient=" + patient);
        assertThat(events).hasSize(1);
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

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aSubmissionIsRecordedOnceWithWhatItStoredAndWithoutAnswers() {
        String patient = newPatient();
        Bundle bundle = submittedBundle(patient);
        String responseId = response(bundle).getIdPart();

        AuditEvent event = onlyEventOf(patient);

        assertThat(event.getType().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/audit-event-type");
        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/restful-interaction");
        assertThat(subtypes(event)).containsExactly("operation", "$submit");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getOutcomeDesc()).isEqualTo("Success");
        assertThat(event.getRecorded()).isCloseTo(new Date(), 60_000);
        assertThat(event.getSource().getObserver().getReference()).isEqualTo("Device/twitch-triage");
        assertThat(entities(event))
                .startsWith("Patient/" + patient)
                .contains(
                        "QuestionnaireResponse/" + responseId, "Observation/" + responseId, "Provenance/" + responseId);
        AuditEventEntityComponent patientEntity = event.getEntityFirstRep();
        assertThat(patientEntity.getType().getCode()).isEqualTo("1");
        assertThat(patientEntity.getRole().getCode()).isEqualTo("1");
        assertThat(event.getEntity().get(1).getType().getCode()).isEqualTo("2");
        AuditEventAgentComponent agent = event.getAgentFirstRep();
        assertThat(agent.getRequestor()).isTrue();
        assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("development");
        assertThat(agent.getNetwork().getAddress()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");

        String stored = StoredRows.auditEventJson(jdbc, event.getIdPart());
        for (String answer : List.of(
                "calf-foot",
                "1-2w",
                "unchanged",
                "caffeine",
                "twitch-location",
                "linkId",
                "valueBoolean",
                "self-care")) {
            assertThat(stored).doesNotContain(answer);
        }
        assertThat(jdbc.queryForObject(
                        "select patient_id from audit_event where id = ?", String.class, event.getIdPart()))
                .isEqualTo(patient);
    }

    @Test
    void aCreateIsRecordedWithTheStoredIdEvenWhenTheResponseIsMinimal() {
        String patient = newPatient();
        HttpResponse<String> created = post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()),
                "Prefer",
                "return=minimal");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();

        AuditEvent event = onlyEventOf(patient);

        assertThat(subtypes(event)).containsExactly("create");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
    }

    @Test
    void aReadIsRecordedWithTheResourceAndItsPatient() {
        String patient = newPatient();
        String id = submitted(patient).getIdPart();

        assertThat(get("/QuestionnaireResponse/" + id).statusCode()).isEqualTo(200);

        List<AuditEvent> events = events("patient=" + patient);
        assertThat(events).hasSize(2);
        AuditEvent read = events.get(0);
        assertThat(subtypes(read)).containsExactly("read");
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(entities(read)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
        assertThat(subtypes(events.get(1))).containsExactly("operation", "$submit");
    }

    @Test
    void aSearchIsRecordedWithItsQueryAndWhatItReturned() {
        String patient = newPatient();
        String id = submitted(patient).getIdPart();

        HttpResponse<String> search = get("/QuestionnaireResponse?patient=Patient/" + patient + "&_count=5");
        assertThat(search.statusCode()).isEqualTo(200);

        AuditEvent event = events("patient=" + patient + "&_count=1").get(0);
        assertThat(subtypes(event)).containsExactly("search-type");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(entities(event)).containsExactly("Patient/" + patient, "QuestionnaireResponse/" + id);
        AuditEventEntityComponent query = event.getEntity().stream()
                .filter(AuditEventEntityComponent::hasQuery)
                .findFirst()
                .orElseThrow();
        assertThat(query.getRole().getCode()).isEqualTo("24");
        assertThat(new String(query.getQuery(), StandardCharsets.UTF_8))
                .isEqualTo("QuestionnaireResponse?_count=5&patient=Patient%2F" + patient);
    }

    @Test
    void aDryRunIsRecordedWithItsPatientButNoStoredIds() {
        String patient = newPatient();

        HttpResponse<String> triage = post(
                "/QuestionnaireResponse/$triage",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()));
        assertThat(triage.statusCode()).isEqualTo(200);

        AuditEvent event = onlyEventOf(patient);
        assertThat(subtypes(event)).containsExactly("operation", "$triage");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(entities(event)).containsExactly("Patient/" + patient);
    }

    @Test
    void aRejectedSubmissionIsRecordedAsAMinorFailureWithoutItsContent() {
        String patient = newPatient();

        HttpResponse<String> rejected = post(
                "/QuestionnaireResponse/$submit",
                JSON,
                json(ChecklistResponses.benign()
                        .subject("Patient/" + patient)
                        .codes("duration", "forever")
                        .build()));
        outcome(rejected, 422);

        AuditEvent event = onlyEventOf(patient);
        assertThat(subtypes(event)).containsExactly("operation", "$submit");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("Refused: the submission is not valid (HTTP 422)");
        assertThat(entities(event)).containsExactly("Patient/" + patient);
        String stored = StoredRows.auditEventJson(jdbc, event.getIdPart());
        assertThat(stored).doesNotContain("forever").doesNotContain("duration");
    }

    @Test
    void aReadOfAnUnknownIdIsRecordedAsNotFound() {
        String id = "missing-" + UUID.randomUUID().toString().substring(0, 8);

        outcome(get("/QuestionnaireResponse/" + id), 404);

        List<AuditEvent> events = events("entity=QuestionnaireResponse/" + id);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(events.get(0).getOutcomeDesc()).isEqualTo("Refused: not found (HTTP 404)");
    }

    @Test
    void publishedContentAndTheCapabilityStatementAreNotAudited() {
        int before = jdbc.queryForObject("select count(*) from audit_event", Integer.class);

        assertThat(get("/metadata").statusCode()).isEqualTo(200);
        assertThat(get("/Questionnaire/muscle-twitch-checklist").statusCode()).isEqualTo(200);
        assertThat(get("/CodeSystem?status=active").statusCode()).isEqualTo(200);

        assertThat(jdbc.queryForObject("select count(*) from audit_event", Integer.class))
                .isEqualTo(before);
    }

    @Test
    void searchesByEntityFindEveryInteractionWithTheResource() {
        String patient = newPatient();
        String id = submitted(patient).getIdPart();
        get("/QuestionnaireResponse/" + id);

        assertThat(events("entity=QuestionnaireResponse/" + id))
                .extracting(e -> subtypes(e).get(0))
                .containsExactly("read", "operation");
        assertThat(events("entity=" + id)).hasSize(2);
        assertThat(events("entity=Observation/" + id)).hasSize(1);
        assertThat(events("entity=Communication/" + id + "-nothing")).isEmpty();
    }

    @Test
    void searchesByAgentMatchReferencesAndIdentifiers() {
        String patient = newPatient();
        submitted(patient);

        assertThat(events("patient=" + patient + "&agent=development")).hasSize(1);
        assertThat(events("patient=" + patient + "&agent=" + encoded("|development")))
                .hasSize(1);
        assertThat(events("patient=" + patient + "&agent:identifier=development"))
                .hasSize(1);
        assertThat(events("patient=" + patient + "&agent=" + encoded("https://issuer.example|development")))
                .isEmpty();
        assertThat(events("patient=" + patient + "&agent=Practitioner/12")).isEmpty();
        assertThat(events("patient=" + patient + "&agent=someone-else")).isEmpty();
    }

    @Test
    void searchesByPatientAcceptAReferenceOrAnId() {
        String patient = newPatient();
        submitted(patient);

        assertThat(events("patient=Patient/" + patient)).hasSize(1);
        assertThat(events("patient=" + patient)).hasSize(1);
        assertThat(events("patient=Group/" + patient)).isEmpty();
    }

    @Test
    void searchesByDateHonourPrefixesAndPrecision() {
        String patient = newPatient();
        submitted(patient);
        Instant recorded = onlyEventOf(patient).getRecorded().toInstant();
        String day = recorded.toString().substring(0, 10);
        String second = recorded.truncatedTo(ChronoUnit.SECONDS).toString();

        assertThat(events("patient=" + patient + "&date=" + day)).hasSize(1);
        assertThat(events("patient=" + patient + "&date=ge" + second)).hasSize(1);
        assertThat(events("patient=" + patient + "&date=le" + second)).hasSize(1);
        assertThat(events("patient=" + patient + "&date=gt" + second)).isEmpty();
        assertThat(events("patient=" + patient + "&date=lt" + second)).isEmpty();
        assertThat(events("patient=" + patient + "&date=ge"
                        + recorded.minusSeconds(3600).toString() + "&date=le"
                        + recorded.plusSeconds(3600).toString().replace("+", "%2B")))
                .hasSize(1);
        assertThat(events("patient=" + patient + "&date=lt2000-01-01")).isEmpty();
    }

    @Test
    void searchesPageNewestFirst() {
        String patient = newPatient();
        String id = submitted(patient).getIdPart();
        get("/QuestionnaireResponse/" + id);
        get("/QuestionnaireResponse/" + id + "/_history/1");

        Bundle first = audit("patient=" + patient + "&_count=2");
        assertThat(first.getTotal()).isEqualTo(3);
        assertThat(first.getEntry())
                .extracting(e -> subtypes((AuditEvent) e.getResource()).get(0))
                .containsExactly("vread", "read");
        assertThat(first.getLink("next")).isNotNull();
        Bundle second = audit("patient=" + patient + "&_count=2&_offset=2");
        assertThat(second.getEntry())
                .extracting(e -> subtypes((AuditEvent) e.getResource()).get(0))
                .containsExactly("operation");
    }

    @Test
    void anAuditEventCanBeReadAndReadingTheTrailIsAuditedToo() {
        String patient = newPatient();
        submitted(patient);
        AuditEvent event = onlyEventOf(patient);

        HttpResponse<String> read = get("/AuditEvent/" + event.getIdPart());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(parse(AuditEvent.class, read).getIdPart()).isEqualTo(event.getIdPart());
        outcome(get("/AuditEvent/" + event.getIdPart() + "/_history/2"), 404);

        List<AuditEvent> accesses = events("entity=AuditEvent/" + event.getIdPart());
        assertThat(accesses).extracting(e -> subtypes(e).get(0)).containsExactly("vread", "read", "search-type");
        assertThat(accesses.get(2).getEntity())
                .filteredOn(AuditEventEntityComponent::hasQuery)
                .hasSize(1);
    }

    @Test
    void unsupportedOrMalformedParametersAre400() {
        outcome(get("/AuditEvent?subject=Patient/1"), 400);
        outcome(get("/AuditEvent?date=yesterday"), 400);
        outcome(get("/AuditEvent?agent.name=x"), 400);
        outcome(get("/AuditEvent?entity.identifier=x"), 400);
        outcome(get("/AuditEvent?_offset=-1"), 400);
    }
}
