package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.HostileCorpus;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.StoredRows;

/**
 * Sends the {@link HostileCorpus} (seed from {@code -Dhostile.seed}, fixed otherwise) to create, $submit and
 * $triage: never a 5xx, every 4xx an OperationOutcome, and nothing stored by a request that was refused (or by
 * any $triage). Mutations that stay valid may be accepted; the outcome counts per category are printed.
 * The rate limit is off here: the corpus is one client sending hundreds of requests.
 */
@TestPropertySource(properties = "fhir.rate-limit.enabled=false")
class HostileInputIT extends IntegrationTest {

    private static final long SEED = Long.getLong("hostile.seed", 20261124L);

    @Test
    void theHostileCorpusNeverCausesAServerErrorNorStoresWhatItRefuses() {
        List<HostileCorpus.Input> corpus = HostileCorpus.generate(SEED);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
        List<String> failures = new ArrayList<>();
        Map<String, Map<Integer, Integer>> outcomes = new TreeMap<>();

        for (HostileCorpus.Input input : corpus) {
            StoredRows before = StoredRows.count(jdbc);
            HttpResponse<String> response;
            try {
                response = send(request(input));
            } catch (IllegalStateException broken) {
                failures.add(input + ": no complete response (" + broken.getMessage() + ")");
                continue;
            }
            StoredRows after = StoredRows.count(jdbc);
            int status = response.statusCode();
            outcomes.computeIfAbsent(input.category(), c -> new TreeMap<>()).merge(status, 1, Integer::sum);

            if (status >= 500) {
                failures.add(input + ": " + status + " " + abbreviate(response.body()));
            }
            if (status >= 400 && !isOperationOutcome(response)) {
                failures.add(input + ": " + status + " without an OperationOutcome: " + abbreviate(response.body()));
            }
            boolean stores = status < 300 && !input.path().endsWith("$triage");
            if (!stores && !after.equals(before)) {
                failures.add(input + ": " + status + " but rows changed from " + before + " to " + after);
            }
            if (status < 200 || (status >= 300 && status < 400)) {
                failures.add(input + ": unexpected status " + status);
            }
        }

        System.out.println(report(corpus.size(), outcomes));
        assertThat(failures)
                .as("hostile corpus, seed %d (rerun with -Dhostile.seed=%d)", SEED, SEED)
                .isEmpty();
    }

    /**
     * Found by the corpus: XML 1.1 admits control characters as references; HAPI's message quoted the value and
     * writing that message as XML broke the response halfway (a 500 the client saw as a cut-off body).
     */
    @Test
    void anXml11ControlCharacterIsRefusedWithACompleteResponse() {
        String xml = FHIR.newXmlParser()
                .encodeResourceToString(ChecklistResponses.benign()
                        .identifier("urn:test:hostile", UUID.randomUUID().toString())
                        .build());
        String body = "<?xml version=\"1.1\"?>" + xml.replace("value=\"completed\"", "value=\"&#x1;\"");
        int before = storedResponses();

        for (String accept : new String[] {"application/fhir+xml", "application/fhir+json"}) {
            HttpResponse<String> response =
                    post("/QuestionnaireResponse", "application/fhir+xml", body, "Accept", accept);

            assertThat(outcome(response, 400).getIssueFirstRep().getDiagnostics())
                    .contains("control character");
        }
        assertThat(storedResponses()).isEqualTo(before);
    }

    private HttpRequest request(HostileCorpus.Input input) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase() + input.path()))
                .header("Content-Type", input.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(input.body()));
        if (input.contentEncoding() != null) {
            request.header("Content-Encoding", input.contentEncoding());
        }
        if (input.accept() != null) {
            request.header("Accept", input.accept());
        }
        return request.build();
    }

    private static boolean isOperationOutcome(HttpResponse<String> response) {
        try {
            return !parse(OperationOutcome.class, response).getIssue().isEmpty();
        } catch (RuntimeException notOne) {
            return false;
        }
    }

    private static String report(int size, Map<String, Map<Integer, Integer>> outcomes) {
        StringBuilder report =
                new StringBuilder("Hostile corpus, seed " + SEED + ", " + size + " inputs; statuses per category:\n");
        outcomes.forEach((category, statuses) -> report.append(String.format("  %-22s %s%n", category, statuses)));
        return report.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
