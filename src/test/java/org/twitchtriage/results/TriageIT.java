package org.twitchtriage.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twitchtriage.intake.TriageCommand;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** Triage over HTTP: create and $submit store the results with the response, $triage and the command line agree. */
class TriageIT extends IntegrationTest {

    @TempDir
    Path files;

    @Test
    void aPlainCreateTriagesAndTheResultsCanBeFound() {
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        String id = created(post(
                "/QuestionnaireResponse",
                JSON,
                json(progressiveWeakness(patient).build())));

        Observation observation = single(Observation.class, "/Observation?derived-from=QuestionnaireResponse/" + id);
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("soon");
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(search(ServiceRequest.class, "/ServiceRequest?subject=" + encode(patient)))
                .hasSize(8);
        assertThat(search(ServiceRequest.class, "/ServiceRequest?requisition=" + id + "-blood-panel"))
                .hasSize(6);
        assertThat(search(
                        ServiceRequest.class,
                        "/ServiceRequest?patient=" + encode(patient) + "&code=" + encode("http://loinc.org|2132-9")
                                + "&priority=routine&status=active"))
                .hasSize(1);
        assertThat(search(ServiceRequest.class, "/ServiceRequest?patient=" + encode(patient) + "&priority=asap"))
                .isEmpty();
        assertThat(search(
                        ServiceRequest.class, "/ServiceRequest?patient=" + encode(patient) + "&authored=ge2020-01-01"))
                .hasSize(8);
        assertThat(search(Communication.class, "/Communication?patient=" + encode(patient)))
                .hasSize(1);
        Provenance provenance = single(Provenance.class, "/Provenance?target=Observation/" + id);
        assertThat(provenance.getTarget()).hasSize(10);
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).isEqualTo("Device/twitch-triage");
        assertThat(parse(Device.class, get("/Device/twitch-triage"))
                        .getIdentifierFirstRep()
                        .getValue())
                .isEqualTo("twitch-triage");
    }

    @Test
    void observationsAreSearchableByCodeLevelDateAndPatient() {
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        created(post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().subject(patient)
                        .answer("muscle-loss", true)
                        .authored("2026-08-01T10:00:00Z")
                        .build())));
        String mine = "&patient=" + encode(patient);

        assertThat(search(
                        Observation.class,
                        "/Observation?code="
                                + encode("http://twitchtriage.org/fhir/CodeSystem/triage-result|muscle-twitch-triage")
                                + mine))
                .hasSize(1);
        assertThat(search(Observation.class, "/Observation?value-concept=immediate" + mine))
                .hasSize(1);
        assertThat(search(Observation.class, "/Observation?value-concept=soon" + mine))
                .isEmpty();
        assertThat(search(Observation.class, "/Observation?date=2026-08-01" + mine))
                .hasSize(1);
        assertThat(search(Observation.class, "/Observation?date=gt2026-09-01" + mine))
                .isEmpty();
        assertThat(search(Observation.class, "/Observation?subject=" + encode(patient)))
                .hasSize(1);
    }

    @Test
    void submitReturnsEverythingWrittenAndIsIdempotent() {
        String body = json(progressiveWeakness("Patient/synthetic-" + UUID.randomUUID())
                .identifier("urn:test:portal", UUID.randomUUID().toString())
                .build());

        Bundle first = bundle(post("/QuestionnaireResponse/$submit", JSON, body));
        int rows = triageRows();
        Bundle again = bundle(post("/QuestionnaireResponse/$submit", JSON, body));

        assertThat(types(first))
                .containsExactly(
                        "QuestionnaireResponse",
                        "Device",
                        "Observation",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "Communication",
                        "Provenance");
        assertThat(first.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).startsWith(fhirBase() + "/"));
        assertThat(ids(again))
                .containsExactlyInAnyOrderElementsOf(ids(first).stream()
                        .filter(i -> !i.startsWith("Device/"))
                        .toList());
        assertThat(triageRows()).isEqualTo(rows);
    }

    @Test
    void submitAcceptsAParametersBodyAndRejectsInvalidResponses() {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("resource").setResource(benign().build());
        assertThat(types(bundle(post("/QuestionnaireResponse/$submit", JSON, json(parameters)))))
                .first()
                .isEqualTo("QuestionnaireResponse");
        int responses = storedResponses();
        int rows = triageRows();

        outcome(
                post(
                        "/QuestionnaireResponse/$submit",
                        JSON,
                        json(benign().without("duration").build())),
                422);
        outcome(
                post(
                        "/QuestionnaireResponse/$triage",
                        JSON,
                        json(benign().without("duration").build())),
                422);

        assertThat(storedResponses()).isEqualTo(responses);
        assertThat(triageRows()).isEqualTo(rows);
    }

    @Test
    void triageIsADryRunThatAgreesWithSubmitAndTheCommandLine() throws Exception {
        QuestionnaireResponse response = benign().answer("muscle-loss", true)
                .answer("spreading", true)
                .codes("locations", "eyelid", "face")
                .build();
        int responses = storedResponses();
        int rows = triageRows();

        Bundle preview = bundle(post("/QuestionnaireResponse/$triage", JSON, json(response)));

        assertThat(storedResponses()).isEqualTo(responses);
        assertThat(triageRows()).isEqualTo(rows);
        Bundle submitted = bundle(post("/QuestionnaireResponse/$submit", JSON, json(response)));
        Bundle commandLine = commandLine(response);
        assertThat(summary(preview)).isEqualTo(summary(submitted)).isEqualTo(summary(commandLine));
        assertThat(summary(preview))
                .containsEntry("level", "immediate")
                .containsEntry("306115009", "asap")
                .containsEntry("183543004", "routine");
    }

    private Bundle commandLine(QuestionnaireResponse response) throws Exception {
        Path file = files.resolve("response.json");
        Files.writeString(file, json(response));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TriageCommand.run(
                List.of(file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        return FHIR.newJsonParser().parseResource(Bundle.class, out.toString(StandardCharsets.UTF_8));
    }

    /** The level, the fired rules and each order's priority: what must agree between the three ways in. */
    private static Map<String, String> summary(Bundle bundle) {
        Map<String, String> summary = new TreeMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Observation o) {
                summary.put(
                        "level", o.getValueCodeableConcept().getCodingFirstRep().getCode());
                o.getComponent()
                        .forEach(c -> summary.put(
                                c.getCode().getCodingFirstRep().getCode(),
                                c.getValue().primitiveValue()));
            } else if (resource instanceof ServiceRequest r) {
                summary.put(
                        r.getCode().getCodingFirstRep().getCode(),
                        r.getPriority().toCode());
            }
        }
        return summary;
    }

    private static ChecklistResponses progressiveWeakness(String patient) {
        return benign().subject(patient).answer("weakness", true).answer("weakness-progressive", true);
    }

    private int triageRows() {
        return jdbc.queryForObject("select count(*) from triage_resource", Integer.class);
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return parse(QuestionnaireResponse.class, response).getIdPart();
    }

    private static Bundle bundle(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response);
    }

    private <T extends Resource> List<T> search(Class<T> type, String query) {
        return bundle(get(query)).getEntry().stream()
                .map(e -> type.cast(e.getResource()))
                .toList();
    }

    private <T extends Resource> T single(Class<T> type, String query) {
        List<T> found = search(type, query);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<String> types(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource().fhirType() + "/"
                        + e.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
