package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.StoredRows;

/**
 * The structure limits (fhir.max-nesting-depth 64, fhir.max-string-length 32768 by default) and the other body
 * checks: a valid response at a limit is accepted, one past it gets 400 naming the limit and stores nothing.
 */
class BodyLimitsIT extends IntegrationTest {

    private static final String XML = "application/fhir+xml";
    private static final int DEPTH = 64;
    private static final int LENGTH = 32768;

    @Test
    void jsonNestedToTheLimitIsAccepted() {
        // Root object, then an array and an object per extension level, then the innermost valueCoding.
        assertThat(post("/QuestionnaireResponse", JSON, json(nested((DEPTH - 2) / 2)))
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void jsonNestedPastTheLimitIsRefused() {
        refused(
                post("/QuestionnaireResponse", JSON, json(nested((DEPTH - 2) / 2 + 1))),
                IssueType.STRUCTURE,
                "nested deeper than the limit of " + DEPTH + " levels");
    }

    @Test
    void xmlNestedToTheLimitIsAcceptedAndPastItRefused() {
        // Root element, an element per extension level, valueCoding and its system.
        assertThat(post("/QuestionnaireResponse", XML, xml(nested(DEPTH - 3))).statusCode())
                .isEqualTo(201);
        refused(
                post("/QuestionnaireResponse", XML, xml(nested(DEPTH - 2))),
                IssueType.STRUCTURE,
                "nested deeper than the limit of " + DEPTH + " levels");
    }

    @Test
    void aStringAtTheLimitIsAcceptedInJsonAndXml() {
        assertThat(post("/QuestionnaireResponse", JSON, json(withText(LENGTH))).statusCode())
                .isEqualTo(201);
        assertThat(post("/QuestionnaireResponse", XML, xml(withText(LENGTH))).statusCode())
                .isEqualTo(201);
    }

    @Test
    void aLongerStringIsRefusedWithoutBeingEchoed() {
        HttpResponse<String> jsonResponse = post("/QuestionnaireResponse", JSON, json(withText(LENGTH + 1)));
        HttpResponse<String> xmlResponse = post("/QuestionnaireResponse", XML, xml(withText(LENGTH + 1)));

        for (HttpResponse<String> response : List.of(jsonResponse, xmlResponse)) {
            refused(response, IssueType.TOOLONG, "longer than the limit of " + LENGTH + " characters");
            assertThat(response.body()).doesNotContain("tttttttttt");
        }
    }

    @Test
    void aLongStringIsRefusedInSubmitAndTriageToo() {
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":"
                + json(withText(LENGTH + 1)) + "}]}";

        refused(post("/QuestionnaireResponse/$submit", JSON, parameters), IssueType.TOOLONG, "limit of " + LENGTH);
        refused(post("/QuestionnaireResponse/$triage", JSON, parameters), IssueType.TOOLONG, "limit of " + LENGTH);
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesInJsonStringsAreRefused() {
        for (String escape : new String[] {"\\u0000", "\\u001b", "\\ud800", "\\udfff"}) {
            String body = json(withText(10)).replace("tttttttttt", "tt" + escape + "tt");

            refused(post("/QuestionnaireResponse", JSON, body), IssueType.INVALID, "control character");
        }
    }

    @Test
    void aCompressedBodyIsRefusedRatherThanInflated() throws IOException {
        StoredRows before = StoredRows.count(jdbc);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(json(withText(10)).getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/QuestionnaireResponse"))
                .header("Content-Type", JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
                .build());

        assertThat(outcome(response, 415).getIssueFirstRep().getDiagnostics()).contains("Content-Encoding");
        assertThat(StoredRows.count(jdbc)).isEqualTo(before);
    }

    @Test
    void bodiesAreReadAsUtf8WhateverCharsetTheyDeclare() {
        // FHIR bodies are UTF-8; Spring Boot's request encoding filter makes the servlet (and HAPI) read them so.
        QuestionnaireResponse response = withText(10);
        ChecklistResponses.item(response, "weakness").setText("Schw\u00e4che?");
        byte[] body = json(response).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/QuestionnaireResponse"))
                .header("Content-Type", JSON + "; charset=no-such-charset")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(ChecklistResponses.item(parse(QuestionnaireResponse.class, created), "weakness")
                        .getText())
                .isEqualTo("Schw\u00e4che?");
    }

    private void refused(HttpResponse<String> response, IssueType type, String diagnostics) {
        OperationOutcome outcome = outcome(response, 400);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(type);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(diagnostics);
    }

    /** A valid response carrying {@code levels} extensions nested in each other, the innermost with a Coding. */
    private static QuestionnaireResponse nested(int levels) {
        QuestionnaireResponse response = fresh();
        Extension extension = response.addExtension().setUrl("urn:test:nested");
        for (int i = 1; i < levels; i++) {
            extension = extension.addExtension().setUrl("urn:test:nested");
        }
        extension.setValue(new Coding("urn:test:nested", "leaf", null));
        return response;
    }

    /** A valid response whose first item carries a text of this many characters. */
    private static QuestionnaireResponse withText(int length) {
        QuestionnaireResponse response = fresh();
        response.getItemFirstRep().setText("t".repeat(length));
        return response;
    }

    private static QuestionnaireResponse fresh() {
        return benign().identifier("urn:test:limits", UUID.randomUUID().toString())
                .build();
    }

    private static String xml(QuestionnaireResponse response) {
        return FHIR.newXmlParser().encodeResourceToString(response);
    }
}
