package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.IntegrationTest;

/**
 * A portal's round trip through HAPI's generic client: find the Questionnaire, render an answer set
 * from it (as a form renderer would, with item texts and displays), submit, read back and search.
 */
class PortalClientIT extends IntegrationTest {

    private IGenericClient client;

    @BeforeEach
    void client() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = FHIR.newRestfulGenericClient(fhirBase());
    }

    @Test
    void fetchesTheQuestionnaireSubmitsAResponseAndReadsItBack() {
        Questionnaire questionnaire = client.search()
                                .forResource(Questionnaire.class)
                                .where(Questionnaire.URL
                                        .matches()
                                        .value("http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist"))
                                .returnBundle(Bundle.class)
                                .execute()
                                .getEntryFirstRep()
                                .getResource()
                        instanceof Questionnaire q
                ? q
                : null;
        assertThat(questionnaire).isNotNull();
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        QuestionnaireResponse response = renderAnswers(questionnaire, patient);

        MethodOutcome created = client.create().resource(response).execute();

        assertThat(created.getCreated()).isTrue();
        QuestionnaireResponse read = client.read()
                .resource(QuestionnaireResponse.class)
                .withId(created.getId().getIdPart())
                .execute();
        assertThat(read.getSubject().getReference()).isEqualTo(patient);
        assertThat(read.getMeta().getTag()).extracting(Coding::getCode).containsExactly("portal-test");
        assertThat(read.getItem())
                .extracting(QuestionnaireResponse.QuestionnaireResponseItemComponent::getLinkId)
                .containsExactlyElementsOf(
                        response.getItem().stream().map(i -> i.getLinkId()).toList())
                .contains("about", "checklist", "other-symptoms");
        Bundle found = client.search()
                .forResource(QuestionnaireResponse.class)
                .where(QuestionnaireResponse.SUBJECT.hasId(patient))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(created.getId().getIdPart());
    }

    @Test
    void conditionalCreateReturnsTheExistingResponse() {
        Questionnaire questionnaire = client.read()
                .resource(Questionnaire.class)
                .withId("muscle-twitch-checklist")
                .execute();
        QuestionnaireResponse response = renderAnswers(questionnaire, "Patient/synthetic-" + UUID.randomUUID());
        String value = UUID.randomUUID().toString();
        response.getIdentifier().setSystem("urn:test:portal").setValue(value);

        MethodOutcome first = client.create().resource(response).execute();
        MethodOutcome second = client.create()
                .resource(response)
                .conditionalByUrl("QuestionnaireResponse?identifier=urn:test:portal|" + value)
                .execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    }

    @Test
    void anInvalidResponseComesBackAsUnprocessableWithTheItemNamed() {
        Questionnaire questionnaire = client.read()
                .resource(Questionnaire.class)
                .withId("muscle-twitch-checklist")
                .execute();
        QuestionnaireResponse response = renderAnswers(questionnaire, "Patient/synthetic-" + UUID.randomUUID());
        response.getItem().get(1).getItem().remove(0);

        UnprocessableEntityException rejected = Assertions.assertThrows(
                UnprocessableEntityException.class,
                () -> client.create().resource(response).execute());

        OperationOutcome outcome = (OperationOutcome) rejected.getOperationOutcome();
        assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue()).contains("linkId='persistent'");
    }

    /** Answers every question from the Questionnaire itself: first option of each choice, false for booleans. */
    private static QuestionnaireResponse renderAnswers(Questionnaire questionnaire, String patient) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.getMeta().addTag("urn:test:portal-tags", "portal-test", "Submitted by the test portal");
        response.setQuestionnaire(questionnaire.getUrl() + "|" + questionnaire.getVersion());
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        response.setSubject(new Reference(patient));
        response.setAuthoredElement(DateTimeType.now());
        for (QuestionnaireItemComponent item : questionnaire.getItem()) {
            response.addItem(render(item));
        }
        return response;
    }

    private static QuestionnaireResponseItemComponent render(QuestionnaireItemComponent item) {
        QuestionnaireResponseItemComponent answer = new QuestionnaireResponseItemComponent()
                .setLinkId(item.getLinkId())
                .setText(item.getText());
        if (item.getType() == QuestionnaireItemType.GROUP) {
            item.getItem().stream()
                    .filter(child -> !child.hasEnableWhen())
                    .forEach(child -> answer.addItem(render(child)));
        } else if (item.getType() == QuestionnaireItemType.BOOLEAN) {
            answer.addAnswer().setValue(new BooleanType(false));
        } else if (item.getType() == QuestionnaireItemType.CHOICE) {
            answer.addAnswer()
                    .setValue(item.getAnswerOptionFirstRep().getValueCoding().copy());
        }
        return answer;
    }
}
