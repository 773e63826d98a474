package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.twitchtriage.testing.IntegrationTest;

/** Every spelling of FHIR JSON and XML is accepted; anything else gets 415 with an OperationOutcome, quietly. */
@ExtendWith(OutputCaptureExtension.class)
class MediaTypesIT extends IntegrationTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/fhir+xml",
                "application/xml",
                "text/xml",
                "application/xml+fhir",
                "application/fhir+xml;charset=utf-8"
            })
    void xmlMediaTypesAreAccepted(String contentType) {
        QuestionnaireResponse response = benign().identifier(
                        "urn:test:media", UUID.randomUUID().toString())
                .build();

        HttpResponse<String> created =
                post("/QuestionnaireResponse", contentType, FHIR.newXmlParser().encodeResourceToString(response));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/fhir+json", "application/json", "application/json+fhir"})
    void jsonMediaTypesAreAccepted(String contentType) {
        QuestionnaireResponse response = benign().identifier(
                        "urn:test:media", UUID.randomUUID().toString())
                .build();

        assertThat(post("/QuestionnaireResponse", contentType, json(response)).statusCode())
                .isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain",
                "text/plain; charset=utf-8",
                "text/html",
                "application/octet-stream",
                "application/yaml",
                "image/svg+xml",
                "application/xhtml+xml",
                "*/*"
            })
    void otherMediaTypesGet415WithoutAnErrorInTheLog(String contentType, CapturedOutput output) {
        int before = storedResponses();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", contentType, json(benign().build())), 415);

        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("is not supported");
        assertThat(storedResponses()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain("ERROR");
    }
}
