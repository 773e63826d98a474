package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.StoredRows;

/**
 * XML bodies with a DTD (external entities reading a file or fetching a URL, parameter entities, entity
 * expansion) are refused with 400 before they are parsed: nothing is read, fetched, stored or logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class XmlExternalEntityIT extends IntegrationTest {

    private static final String XML = "application/fhir+xml";

    private final XmlEntities entities = new XmlEntities();

    @AfterEach
    void close() throws Exception {
        entities.close();
    }

    @Test
    void aCreateWithADtdIsRefusedAndNothingIsReadFetchedStoredOrLogged(CapturedOutput output) {
        refusesAll(
                "/QuestionnaireResponse",
                entities.attacks(XmlEntities.responseXml(UUID.randomUUID().toString())),
                XML,
                output);
    }

    @Test
    void submitAndTriageParametersWithADtdAreRefusedToo(CapturedOutput output) {
        Map<String, String> attacks =
                entities.attacks(XmlEntities.parametersXml(UUID.randomUUID().toString()));
        refusesAll("/QuestionnaireResponse/$submit", attacks, XML, output);
        refusesAll("/QuestionnaireResponse/$triage", attacks, XML, output);
    }

    @Test
    void theResponseBodyAloneIsAcceptedAsSubmitsBodyWithADtdRefused(CapturedOutput output) {
        refusesAll(
                "/QuestionnaireResponse/$submit",
                entities.attacks(XmlEntities.responseXml(UUID.randomUUID().toString())),
                XML,
                output);
    }

    @Test
    void otherXmlMediaTypesAreCheckedAlike(CapturedOutput output) {
        Map<String, String> attacks =
                entities.attacks(XmlEntities.responseXml(UUID.randomUUID().toString()));
        for (String contentType :
                List.of("application/xml", "text/xml", "application/xml+fhir", "application/fhir+xml; charset=UTF-8")) {
            refusesAll("/QuestionnaireResponse", attacks, contentType, output);
        }
    }

    @Test
    void anXmlBodyUnderAnotherMediaTypeNeverReachesAnXmlParser(CapturedOutput output) {
        String attack = entities.attacks(
                        XmlEntities.responseXml(UUID.randomUUID().toString()))
                .get("external entity (file)");
        StoredRows before = StoredRows.count(jdbc);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String contentType : List.of(
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/fhir+json")) {
            responses.add(post("/QuestionnaireResponse", contentType, attack));
        }
        responses.add(post("/QuestionnaireResponse", null, attack));

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
            assertThat(parse(OperationOutcome.class, response).getIssue()).isNotEmpty();
            assertThat(response.body()).doesNotContain(entities.marker);
        }
        assertThat(StoredRows.count(jdbc)).isEqualTo(before);
        assertThat(entities.fetches).hasValue(0);
        assertThat(output.getAll()).doesNotContain(entities.marker);
    }

    private void refusesAll(String path, Map<String, String> attacks, String contentType, CapturedOutput output) {
        StoredRows before = StoredRows.count(jdbc);
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            HttpResponse<String> response = post(path, contentType, attack.getValue());

            OperationOutcome outcome = outcome(response, 400);
            assertThat(outcome.getIssueFirstRep().getDiagnostics())
                    .as(attack.getKey())
                    .isEqualTo("XML document type declarations (DTDs) are not accepted");
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTSUPPORTED);
            assertThat(response.body())
                    .as(attack.getKey())
                    .doesNotContain(entities.marker)
                    .doesNotContain("lollollol");
        }
        assertThat(StoredRows.count(jdbc)).as(path).isEqualTo(before);
        assertThat(entities.fetches).as("requests to the entity server").hasValue(0);
        assertThat(output.getAll()).doesNotContain(entities.marker);
    }
}
