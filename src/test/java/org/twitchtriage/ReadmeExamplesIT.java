package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.IntegrationTest;

/** The README's walk-through, step by step, with the example files it names. */
class ReadmeExamplesIT extends IntegrationTest {

    private static final Path EXAMPLES = Path.of("src/test/resources/examples");

    @Test
    void theWalkThroughWorksAsDocumented() throws IOException {
        assertThat(get("/Questionnaire?url=http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist")
                        .statusCode())
                .isEqualTo(200);
        String benign = Files.readString(EXAMPLES.resolve("response-benign.json"));

        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, benign);
        HttpResponse<String> again = post("/QuestionnaireResponse", JSON, benign);

        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        assertThat(again.statusCode()).isEqualTo(200);
        String id = parse(QuestionnaireResponse.class, created).getIdPart();
        assertThat(get("/QuestionnaireResponse/" + id).statusCode()).isEqualTo(200);
        assertThat(get("/QuestionnaireResponse?identifier=urn:example:portal:submission%7Cexample-0001")
                        .body())
                .contains(id);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "benign, self-care, ''",
        "monitor, monitor, 183543004",
        "soon, soon, 183521007 306115009 2132-9 3016-3 2157-6 2823-3 19123-9 17861-6",
        "urgent, urgent, 183521007 306144006",
        "immediate, immediate, 183521007 306115009 2132-9 3016-3 2157-6 2823-3 19123-9 17861-6"
    })
    void eachLevelsExampleGivesThatLevelAndItsOrders(String example, String level, String orders) throws IOException {
        String body = Files.readString(EXAMPLES.resolve("response-" + example + ".json"));

        org.hl7.fhir.r4.model.Bundle result =
                parse(org.hl7.fhir.r4.model.Bundle.class, post("/QuestionnaireResponse/$triage", JSON, body));

        assertThat(result.getEntry())
                .extracting(e -> e.getResource())
                .filteredOn(r -> r instanceof org.hl7.fhir.r4.model.Observation)
                .singleElement()
                .satisfies(r -> assertThat(((org.hl7.fhir.r4.model.Observation) r)
                                .getValueCodeableConcept()
                                .getCodingFirstRep()
                                .getCode())
                        .isEqualTo(level));
        assertThat(result.getEntry())
                .extracting(e -> e.getResource())
                .filteredOn(r -> r instanceof org.hl7.fhir.r4.model.ServiceRequest)
                .extracting(r -> ((org.hl7.fhir.r4.model.ServiceRequest) r)
                        .getCode()
                        .getCodingFirstRep()
                        .getCode())
                .containsExactlyInAnyOrder(orders.isBlank() ? new String[0] : orders.split(" "));
    }

    @Test
    void theInvalidExampleIsRejectedForTheReasonsTheReadmeGives() throws IOException {
        String invalid = Files.readString(EXAMPLES.resolve("response-invalid.json"));

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, invalid), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("invalid-code", "required");
        assertThat(outcome.getIssue())
                .extracting(i -> i.getExpression().get(0).getValue())
                .anyMatch(e -> e.contains("linkId='duration'"))
                .anyMatch(e -> e.contains("linkId='weakness-progressive'"));
    }
}
