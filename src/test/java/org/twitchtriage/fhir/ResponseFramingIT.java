package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.IntegrationTest;

/**
 * An answer that fits the container's buffer goes out whole, with its length: HAPI's writer flushes after every
 * string it writes, and none of those flushes may reach the client as a chunk of its own.
 */
class ResponseFramingIT extends IntegrationTest {

    @Test
    void anAcceptedResponseIsSentWholeWithItsLength() {
        HttpResponse<String> created = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier("urn:test:framing", UUID.randomUUID().toString())
                        .build()));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertSentWhole(created);
    }

    @Test
    void aSearchBundleIsSentWholeWithItsLength() {
        submit(benign().identifier("urn:test:framing", UUID.randomUUID().toString()));

        HttpResponse<String> bundle = get("/QuestionnaireResponse?_count=5");

        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        assertSentWhole(bundle);
    }

    private static void assertSentWhole(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
    }
}
