package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.twitchtriage.testing.IntegrationTest;

/** Bodies that are not a QuestionnaireResponse get a 4xx OperationOutcome, never a 500, and store nothing. */
class BadInputIT extends IntegrationTest {

    private static final int LIMIT = 1024 * 1024;

    static Stream<Arguments> badBodies() {
        String valid = json(benign().build());
        return Stream.of(
                Arguments.of("malformed JSON", JSON, "{\"resourceType\":\"QuestionnaireResponse\",", 400),
                Arguments.of("JSON that is not an object", JSON, "[1,2,3]", 400),
                Arguments.of(
                        "malformed XML",
                        "application/fhir+xml",
                        "<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><status value=\"completed\">",
                        400),
                Arguments.of("a Patient instead", JSON, json(new Patient().setActive(true)), 400),
                Arguments.of("an unknown element", JSON, valid.replaceFirst("\\{", "{\"colour\":\"blue\","), 400),
                Arguments.of(
                        "an invalid primitive",
                        JSON,
                        valid.replace("\"authored\":\"2026-11-20T09:30:00Z\"", "\"authored\":\"last tuesday\""),
                        400),
                Arguments.of("an empty body", JSON, "", 400),
                Arguments.of("plain text", "text/plain", valid, 415),
                Arguments.of("a form post", "multipart/form-data; boundary=x", valid, 415));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void rejectsWithAnOperationOutcomeAndStoresNothing(String name, String contentType, String body, int status) {
        int before = storedResponses();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", contentType, body), status);

        assertThat(outcome.getIssueFirstRep().getSeverity())
                .isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void rejectsABodyWithoutContentType() {
        int before = storedResponses();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", null, json(benign().build())), 415);

        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Content-Type");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void rejectsABodyOverTheSizeLimit() {
        int before = storedResponses();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, oversized()), 413);

        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOLONG);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(String.valueOf(LIMIT));
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void rejectsAChunkedBodyOverTheSizeLimit() {
        int before = storedResponses();
        byte[] body = oversized().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase() + "/QuestionnaireResponse"))
                .header("Content-Type", JSON)
                .POST(withoutLength(body))
                .build();

        HttpResponse<String> response = send(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(parse(OperationOutcome.class, response).getIssueFirstRep().getCode())
                .isEqualTo(OperationOutcome.IssueType.TOOLONG);
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void answersInXmlWhenAskedForXml() {
        HttpResponse<String> response = post("/QuestionnaireResponse?_format=xml", JSON, oversized());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("fhir+xml");
        assertThat(parse(OperationOutcome.class, response).getIssue()).hasSize(1);
    }

    @Test
    void acceptsAValidResponseInXml() {
        int before = storedResponses();
        QuestionnaireResponse sent = benign().identifier(
                        "urn:test:portal", UUID.randomUUID().toString())
                .build();

        HttpResponse<String> response = post(
                "/QuestionnaireResponse",
                "application/fhir+xml",
                FHIR.newXmlParser().encodeResourceToString(sent),
                "Accept",
                "application/fhir+xml");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("fhir+xml");
        assertThat(parse(QuestionnaireResponse.class, response).getIdentifier().getValue())
                .isEqualTo(sent.getIdentifier().getValue());
        assertThat(storedResponses()).isEqualTo(before + 1);
    }

    @Test
    void unknownResourceTypesAndOperationsGetOperationOutcomes() {
        outcome(get("/Spaceship/1"), 404);
        outcome(get("/QuestionnaireResponse?colour=blue"), 400);
        HttpResponse<String> update =
                send(HttpRequest.newBuilder(URI.create(fhirBase() + "/QuestionnaireResponse/some-id"))
                        .header("Content-Type", JSON)
                        .PUT(HttpRequest.BodyPublishers.ofString(json(benign().build())))
                        .build());
        assertThat(update.statusCode()).isBetween(400, 499);
        assertThat(parse(OperationOutcome.class, update).getIssue()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"authored=notadate", "authored=ap2026", "_count=-1", "_count=abc", "_offset=-5", "subject.name=x"
            })
    void rejectsMalformedSearchParameters(String query) {
        assertThat(outcome(get("/QuestionnaireResponse?" + query), 400)
                        .getIssueFirstRep()
                        .getDiagnostics())
                .isNotBlank()
                .doesNotContain("error reference");
    }

    @Test
    void refusesXmlEntities() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + "<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><status value=\"&e;\"/></QuestionnaireResponse>";
        int before = storedResponses();

        outcome(post("/QuestionnaireResponse", "application/fhir+xml", xml), 400);

        assertThat(storedResponses()).isEqualTo(before);
    }

    /** A valid response padded with item text past the limit. */
    private static String oversized() {
        QuestionnaireResponse response = benign().build();
        response.getItemFirstRep().setText("x".repeat(LIMIT));
        return json(response);
    }

    private static HttpRequest.BodyPublisher withoutLength(byte[] body) {
        HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofByteArray(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
    }
}
