package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.IntegrationTest;

/**
 * A request Spring Security's firewall refuses (here a header whose bytes are UTF-8 for the euro sign, read as
 * Latin-1 with a control character in it): on /fhir a 400 OperationOutcome that says what kind of thing is
 * refused and does not repeat the header's value, elsewhere a plain 400; nothing stored.
 */
class RejectedRequestIT extends IntegrationTest {

    private static final String HEADER_VALUE = "price 10 €";

    @Test
    void theFhirEndpointAnswersWithAnOperationOutcome() throws IOException {
        int before = storedResponses();

        String answer = raw("POST /fhir/QuestionnaireResponse HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: application/fhir+json\r\n"
                + "X-Note: " + HEADER_VALUE + "\r\n"
                + "Content-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("content-type: application/fhir+json");
        // The JSON whether or not the answer came in chunks.
        String body = answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("header names or values");
        assertThat(body).doesNotContain("price");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void otherPathsGetAPlainBadRequest() throws IOException {
        // The firewall checks a header when it is read: the pages read Accept.
        String answer = raw("GET /clinician/api/levels HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Accept: application/json; " + HEADER_VALUE + "\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).doesNotContain("OperationOutcome").doesNotContain("price");
    }

    /** Sends the request's bytes as UTF-8 (the header too, as a client that ignores the rules would). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            in.transferTo(read);
            return read.toString(StandardCharsets.UTF_8);
        }
    }
}
