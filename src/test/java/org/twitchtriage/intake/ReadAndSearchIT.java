package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** Read by id and search by subject, patient, identifier, questionnaire, authored and status, paged by _count. */
class ReadAndSearchIT extends IntegrationTest {

    private String patient;
    private String otherPatient;
    private List<String> ids;

    @BeforeEach
    void threeResponsesForOnePatientOneForAnother() {
        patient = "Patient/synthetic-" + UUID.randomUUID();
        otherPatient = "Patient/synthetic-" + UUID.randomUUID();
        ids = List.of(
                submit(benign().subject(patient)
                        .authored("2026-09-10T10:00:00Z")
                        .identifier("urn:test:s", "a-" + patient)),
                submit(benign().subject(patient)
                        .authored("2026-10-10T10:00:00+02:00")
                        .status(QuestionnaireResponseStatus.AMENDED)),
                submit(benign().subject(patient)
                        .authored("2026-11-10")
                        .questionnaire(ChecklistResponses.QUESTIONNAIRE)));
        submit(benign().subject(otherPatient).authored("2026-10-10T10:00:00Z"));
    }

    @Test
    void readsAStoredResponseByIdAndVersion() {
        HttpResponse<String> read = get("/QuestionnaireResponse/" + ids.get(0));
        HttpResponse<String> vread = get("/QuestionnaireResponse/" + ids.get(0) + "/_history/1");

        assertThat(read.statusCode()).isEqualTo(200);
        QuestionnaireResponse response = parse(QuestionnaireResponse.class, read);
        assertThat(response.getIdPart()).isEqualTo(ids.get(0));
        assertThat(response.getSubject().getReference()).isEqualTo(patient);
        assertThat(vread.statusCode()).isEqualTo(200);
        outcome(get("/QuestionnaireResponse/" + ids.get(0) + "/_history/2"), 404);
        outcome(get("/QuestionnaireResponse/" + UUID.randomUUID()), 404);
    }

    @Test
    void searchesBySubjectAndPatient() {
        assertThat(search("subject=" + encode(patient))).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("patient=" + encode(patient))).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("subject:Patient=" + encode(patient.substring("Patient/".length()))))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("subject=" + encode(patient) + "&patient=" + encode(otherPatient)))
                .isEmpty();
        assertThat(search("subject=" + encode("Group/" + patient.substring("Patient/".length()))))
                .isEmpty();
    }

    @Test
    void searchesByIdentifier() {
        String value = "a-" + patient;
        assertThat(search("identifier=" + encode("urn:test:s|" + value))).containsExactly(ids.get(0));
        assertThat(search("identifier=" + encode(value))).containsExactly(ids.get(0));
        assertThat(search("identifier=" + encode("urn:test:other|" + value))).isEmpty();
    }

    @Test
    void searchesByQuestionnaireUrlVersionAndId() {
        String mine = "&patient=" + encode(patient);
        assertThat(search("questionnaire=" + encode(ChecklistResponses.QUESTIONNAIRE) + mine))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("questionnaire=" + encode(ChecklistResponses.CANONICAL) + mine))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("questionnaire=" + encode(ChecklistResponses.QUESTIONNAIRE + "|2.0.0") + mine))
                .isEmpty();
        assertThat(search("questionnaire=Questionnaire/muscle-twitch-checklist" + mine))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(search("questionnaire=Questionnaire/unknown" + mine)).isEmpty();
    }

    @Test
    void searchesByAuthoredAndStatus() {
        String mine = "&patient=" + encode(patient);
        assertThat(search("authored=2026-09-10" + mine)).containsExactly(ids.get(0));
        assertThat(search("authored=ge2026-10-01" + mine)).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        assertThat(search("authored=lt2026-10-01" + mine)).containsExactly(ids.get(0));
        assertThat(search("authored=ge2026-10-01&authored=lt2026-11-01" + mine)).containsExactly(ids.get(1));
        assertThat(search("authored=2026-10-10T08:00:00Z" + mine)).containsExactly(ids.get(1));
        assertThat(search("authored=2026-11" + mine)).containsExactly(ids.get(2));
        assertThat(search("status=amended" + mine)).containsExactly(ids.get(1));
        assertThat(search("status=completed" + mine)).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
    }

    @Test
    void pagesWithCountAndNextLinks() {
        Bundle first = bundle(get("/QuestionnaireResponse?patient=" + encode(patient) + "&_count=2"));

        assertThat(first.getTotal()).isEqualTo(3);
        assertThat(first.getEntry()).hasSize(2);
        String next = first.getLink(Bundle.LINK_NEXT).getUrl();
        Bundle second = bundle(get(next.substring(fhirBase().length())));
        assertThat(second.getEntry()).hasSize(1);
        assertThat(second.getLink(Bundle.LINK_NEXT)).isNull();
        assertThat(second.getLink(Bundle.LINK_PREV)).isNotNull();
        List<String> all = new ArrayList<>(ids(first));
        all.addAll(ids(second));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all.get(0)).as("newest authored first").isEqualTo(ids.get(2));
    }

    private List<String> search(String query) {
        return ids(bundle(get("/QuestionnaireResponse?" + query)));
    }

    private static Bundle bundle(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response);
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
