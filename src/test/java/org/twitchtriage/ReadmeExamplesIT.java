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
                .statusCode()).isEqualTo(200);
        String benign = Files.readString(EXAMPLES.resolve("response-benign.json"));

        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, benign);
        HttpResponse<String> again = post("/QuestionnaireResponse", JSON, benign);

        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        assertThat(again.statusCode()).isEqualTo(200);
        String id = parse(QuestionnaireResponse.class, created).getIdPart();
        assertThat(get("/QuestionnaireResponse/" + id).statusCode()).isEqualTo(200);
        assertThat(get("/QuestionnaireResponse?identifier=urn:example:portal:submission%7Cexample-0001").body())
                .contains(id);
    }

    @Test
    void theInvalidExampleIsRejectedForTheReasonsTheReadmeGives() throws IOException {
        String invalid = Files.readString(EXAMPLES.resolve("response-invalid.json"));

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, invalid), 422);

        assertThat(outcome.getIssue()).extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("invalid-code", "required");
        assertThat(outcome.getIssue()).extracting(i -> i.getExpression().get(0).getValue())
                .anyMatch(e -> e.contains("linkId='duration'"))
                .anyMatch(e -> e.contains("linkId='weakness-progressive'"));
    }
}
