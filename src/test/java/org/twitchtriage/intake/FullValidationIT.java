package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.twitchtriage.questionnaire.ProblemCode;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** With intake.full-validation on, HAPI's validator checks every submission as well as the compiled plan. */
@TestPropertySource(properties = "intake.full-validation=true")
class FullValidationIT extends IntegrationTest {

    @Test
    void acceptsAValidResponse() {
        HttpResponse<String> response = post("/QuestionnaireResponse", JSON, json(benign().build()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void acceptsWhatPortalsAddTheirOwnProfilesAndWording() {
        QuestionnaireResponse response = benign().build();
        response.getMeta().addProfile("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse");
        response.getMeta().addTag("urn:test:portal-tags", "web", null);
        ChecklistResponses.item(response, "weakness").setText("Feeling weak?");

        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, json(response));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void aResponseTheValidatorCannotFinishIsRejectedNotAnError() {
        int before = storedResponses();
        QuestionnaireResponse response = benign().build();
        ChecklistResponses.item(response, "weakness").getAnswerFirstRep().setValue(new StringType("yes"));

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .contains(ProblemCode.WRONG_TYPE.code());
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void reportsTheValidatorsFindingsNextToThePlans() {
        int before = storedResponses();
        QuestionnaireResponse response = benign().codes("duration", "6-months").build();
        // partOf may point at an Observation or Procedure only: the compiled plan does not look there, HAPI does.
        response.addPartOf(new Reference("Patient/synthetic-1"));

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .contains(ProblemCode.INVALID_CODE.code(), ProblemCode.HAPI_VALIDATION.code());
        assertThat(storedResponses()).isEqualTo(before);
    }
}
