package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** The definitional content is served read-only, and the CapabilityStatement says exactly what is served. */
class PublishedContentIT extends IntegrationTest {

    @Test
    void readsTheQuestionnaireById() {
        HttpResponse<String> response = get("/Questionnaire/muscle-twitch-checklist");

        assertThat(response.statusCode()).isEqualTo(200);
        Questionnaire questionnaire = parse(Questionnaire.class, response);
        assertThat(questionnaire.getUrl()).isEqualTo(ChecklistResponses.QUESTIONNAIRE);
        assertThat(questionnaire.getItem())
                .extracting(Questionnaire.QuestionnaireItemComponent::getLinkId)
                .containsExactly("about", "checklist", "other-symptoms");
        outcome(get("/Questionnaire/nope"), 404);
    }

    @Test
    void searchesByUrlVersionNameAndStatus() {
        assertThat(ids("/Questionnaire?url=" + ChecklistResponses.QUESTIONNAIRE))
                .containsExactlyInAnyOrder("muscle-twitch-checklist", "muscle-twitch-checklist-1.1.0");
        assertThat(ids("/Questionnaire?url=" + ChecklistResponses.QUESTIONNAIRE + "&version=1.0.0"))
                .containsExactly("muscle-twitch-checklist");
        assertThat(ids("/Questionnaire?version=0.1")).isEmpty();
        assertThat(ids("/Questionnaire?url=" + ChecklistResponses.QUESTIONNAIRE + "&version=1.1.0"))
                .containsExactly("muscle-twitch-checklist-1.1.0");
        assertThat(ids("/Questionnaire?name=muscletwitch"))
                .containsExactlyInAnyOrder("muscle-twitch-checklist", "muscle-twitch-checklist-1.1.0");
        assertThat(ids("/Questionnaire?name:exact=muscletwitch")).isEmpty();
        assertThat(ids("/Questionnaire?status=active"))
                .containsExactlyInAnyOrder("muscle-twitch-checklist", "muscle-twitch-checklist-1.1.0");
        assertThat(ids("/Questionnaire?status=retired")).isEmpty();
        assertThat(ids("/CodeSystem?url=http://twitchtriage.org/fhir/CodeSystem/triage-level"))
                .containsExactly("triage-level");
        assertThat(ids("/ValueSet?name=TwitchLocation")).containsExactly("twitch-location");
        assertThat(ids("/PlanDefinition?url=http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage"
                        + "&version=1.0.0"))
                .containsExactly("muscle-twitch-triage");
        assertThat(ids("/PlanDefinition?status=active")).containsExactly("muscle-twitch-triage-1.1.0");
        assertThat(ids("/PlanDefinition?status=retired")).containsExactly("muscle-twitch-triage");
        assertThat(ids("/ActivityDefinition?name:contains=neurology")).contains("neurology-referral");
        assertThat(ids("/StructureDefinition?status=active"))
                .contains("twitch-triage-observation", "twitch-triage-servicerequest");
    }

    @Test
    void pagesThroughCodeSystems() {
        Bundle page = parse(Bundle.class, get("/CodeSystem?_count=2"));

        assertThat(page.getTotal()).isGreaterThan(2);
        assertThat(page.getEntry()).hasSize(2);
        assertThat(page.getLink(Bundle.LINK_NEXT).getUrl()).contains("_offset=2");
        assertThat(parse(CodeSystem.class, get("/CodeSystem/twitch-duration")).getConcept())
                .hasSize(5);
    }

    @Test
    void refusesToChangePublishedContent() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Questionnaire"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(json(new Questionnaire())))
                .build());

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(parse(OperationOutcome.class, response).getIssue()).isNotEmpty();
    }

    @Test
    void capabilityStatementListsWhatIsServed() {
        CapabilityStatement capabilities = parse(CapabilityStatement.class, get("/metadata"));

        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capabilities.getFormat())
                .extracting(f -> f.getValue())
                .contains("application/fhir+json", "application/fhir+xml");
        CapabilityStatementRestResourceComponent responses = resource(capabilities, "QuestionnaireResponse");
        assertThat(interactions(responses))
                .containsExactlyInAnyOrder(
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.HISTORYINSTANCE,
                        TypeRestfulInteraction.SEARCHTYPE);
        assertThat(responses.getConditionalCreate()).isTrue();
        assertThat(responses.getConditionalUpdate()).isTrue();
        for (String type : List.of("Observation", "ServiceRequest", "Communication", "Provenance", "Task", "Device")) {
            assertThat(interactions(resource(capabilities, type)))
                    .as(type)
                    .contains(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD)
                    .contains(TypeRestfulInteraction.HISTORYINSTANCE);
        }
        assertThat(responses.getSearchParam())
                .extracting(p -> p.getName())
                .contains("subject", "patient", "identifier", "questionnaire", "authored", "status");
        for (String type : List.of(
                "Questionnaire",
                "PlanDefinition",
                "ActivityDefinition",
                "CodeSystem",
                "ValueSet",
                "StructureDefinition")) {
            CapabilityStatementRestResourceComponent resource = resource(capabilities, type);
            assertThat(interactions(resource))
                    .as(type)
                    .containsExactlyInAnyOrder(TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
            assertThat(resource.getSearchParam())
                    .extracting(p -> p.getName())
                    .contains("url", "version", "name", "status");
        }
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement capabilities, String type) {
        return capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static List<TypeRestfulInteraction> interactions(CapabilityStatementRestResourceComponent resource) {
        return resource.getInteraction().stream().map(i -> i.getCode()).toList();
    }

    private List<String> ids(String query) {
        HttpResponse<String> response = get(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response).getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }
}
