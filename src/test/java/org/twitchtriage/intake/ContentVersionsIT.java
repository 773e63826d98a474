package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Two Questionnaire versions side by side (contract sections 2 and 7): portals built against 1.0.0 keep working,
 * with the version pinned or with the bare url, and every response is triaged by the one active rules version.
 */
class ContentVersionsIT extends IntegrationTest {

    private static final String RULES = "http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage";
    private static final String RULESET_EXTENSION = "http://twitchtriage.org/fhir/StructureDefinition/triage-ruleset";

    @Test
    void bothQuestionnaireVersionsArePublishedAndActiveUnderIdsOfTheirOwn() {
        Questionnaire previous = parse(Questionnaire.class, get("/Questionnaire/muscle-twitch-checklist"));
        Questionnaire current = parse(Questionnaire.class, get("/Questionnaire/muscle-twitch-checklist-1.1.0"));

        assertThat(previous.getVersion()).isEqualTo("1.0.0");
        assertThat(current.getVersion()).isEqualTo("1.1.0");
        assertThat(List.of(previous.getStatus(), current.getStatus())).containsOnly(PublicationStatus.ACTIVE);
    }

    @Test
    void onlyTheNewestRulesAreActiveAndTheRetiredOnesStillResolve() {
        PlanDefinition retired = parse(PlanDefinition.class, get("/PlanDefinition/muscle-twitch-triage"));
        PlanDefinition active = parse(PlanDefinition.class, get("/PlanDefinition/muscle-twitch-triage-1.1.0"));

        assertThat(retired.getVersion()).isEqualTo("1.0.0");
        assertThat(retired.getStatus()).isEqualTo(PublicationStatus.RETIRED);
        assertThat(active.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
        assertThat(active.getRelatedArtifact())
                .extracting(a -> a.getResource())
                .contains(ChecklistResponses.CANONICAL, ChecklistResponses.CANONICAL_1_1);
    }

    @Test
    void aResponseCitingVersion100IsTriagedByRules110() {
        Bundle result = submitOperation(benign().answer("weakness", true)
                .answer("weakness-progressive", false)
                .codes("duration", "gt-3m")
                .build());

        QuestionnaireResponse stored = first(result, QuestionnaireResponse.class);
        assertThat(stored.getQuestionnaire()).isEqualTo(ChecklistResponses.CANONICAL);
        Observation observation = first(result, Observation.class);
        assertThat(rules(observation)).isEqualTo(RULES + "|1.1.0");
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("soon");
        assertThat(result.getEntry())
                .extracting(e -> e.getResource())
                .filteredOn(ServiceRequest.class::isInstance)
                .extracting(
                        r -> ((ServiceRequest) r).getCode().getCodingFirstRep().getCode())
                .contains("183521007");
    }

    @Test
    void aBareUrlCitesTheNewestVersionTheAnswersAreValidAgainst() {
        Bundle shapedFor100 = submitOperation(
                benign().questionnaire(ChecklistResponses.QUESTIONNAIRE).build());
        Bundle shapedFor110 = submitOperation(benign().current()
                .questionnaire(ChecklistResponses.QUESTIONNAIRE)
                .build());

        assertThat(first(shapedFor100, QuestionnaireResponse.class).getQuestionnaire())
                .isEqualTo(ChecklistResponses.CANONICAL);
        assertThat(first(shapedFor110, QuestionnaireResponse.class).getQuestionnaire())
                .isEqualTo(ChecklistResponses.CANONICAL_1_1);
        assertThat(rules(first(shapedFor100, Observation.class))).isEqualTo(RULES + "|1.1.0");
    }

    @Test
    void aResponseCitingVersion110WithoutOneSideIsRefused() {
        int before = storedResponses();
        QuestionnaireResponse response = benign().current().without("one-side").build();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue()).hasSize(1);
        assertThat(outcome.getIssueFirstRep().getExpression())
                .extracting(StringType::getValue)
                .containsExactly("QuestionnaireResponse.item.where(linkId='about').item.where(linkId='one-side')");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void aBareUrlValidAgainstNoVersionReportsTheNewestVersionsProblems() {
        QuestionnaireResponse response = benign().questionnaire(ChecklistResponses.QUESTIONNAIRE)
                .without("duration")
                .build();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getExpression().get(0).getValue())
                .containsExactlyInAnyOrder(
                        "QuestionnaireResponse.item.where(linkId='about').item.where(linkId='duration')",
                        "QuestionnaireResponse.item.where(linkId='about').item.where(linkId='one-side')");
    }

    private Bundle submitOperation(QuestionnaireResponse response) {
        response.getIdentifier()
                .setSystem("urn:test:versions")
                .setValue(UUID.randomUUID().toString());
        HttpResponse<String> answer = post("/QuestionnaireResponse/$submit", JSON, json(response));
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
        return parse(Bundle.class, answer);
    }

    private static String rules(Observation observation) {
        return observation.getExtensionByUrl(RULESET_EXTENSION).getValue().primitiveValue();
    }

    private static <T> T first(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource())
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }
}
