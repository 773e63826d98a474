package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.twitchtriage.testing.IntegrationTest;

/**
 * With a burst of 3 and one request every 10 seconds, a client's fourth quick request gets 429 with Retry-After
 * and an OperationOutcome, and other clients are not affected. Clients are told apart by remote address: each
 * test connects from loopback addresses of its own (127.0.0.x).
 */
@TestPropertySource(properties = {"fhir.rate-limit.requests-per-second=0.1", "fhir.rate-limit.burst=3"})
class RateLimitIT extends IntegrationTest {

    private static final String PATH = "/fhir/Questionnaire/muscle-twitch-checklist";

    @Test
    void theFourthQuickRequestIsThrottled() {
        for (int i = 0; i < 3; i++) {
            assertThat(get("127.0.0.2", PATH).status()).isEqualTo(200);
        }

        RawResponse throttled = get("127.0.0.2", PATH);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Integer.parseInt(throttled.header("retry-after"))).isBetween(1, 10);
        assertThat(throttled.header("content-type")).startsWith("application/fhir+json");
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, throttled.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.THROTTLED);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("retry after");
    }

    @Test
    void anotherClientIsNotAffected() {
        for (int i = 0; i < 4; i++) {
            get("127.0.0.3", PATH);
        }
        assertThat(get("127.0.0.3", PATH).status()).isEqualTo(429);

        assertThat(get("127.0.0.4", PATH).status()).isEqualTo(200);
    }

    @Test
    void aThrottledRequestIsRefusedBeforeItsBodyIsLookedAt() {
        for (int i = 0; i < 3; i++) {
            get("127.0.0.5", PATH);
        }
        int before = storedResponses();

        RawResponse response = send(
                "127.0.0.5",
                "POST /fhir/QuestionnaireResponse HTTP/1.0\r\n"
                        + "Content-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(response.status()).isEqualTo(429);
        assertThat(storedResponses()).isEqualTo(before);
    }

    private RawResponse get(String from, String path) {
        return send(from, "GET " + path + " HTTP/1.0\r\nAccept: application/fhir+json\r\n\r\n");
    }

    /** One HTTP/1.0 exchange (the body ends with the connection) from a socket bound to {@code from}. */
    private RawResponse send(String from, String request) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return RawResponse.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record RawResponse(int status, String head, String body) {

        static RawResponse of(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, end);
            return new RawResponse(Integer.parseInt(head.split(" ")[1]), head, raw.substring(end + 4));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            throw new AssertionError("no " + name + " header in " + head);
        }
    }
}
