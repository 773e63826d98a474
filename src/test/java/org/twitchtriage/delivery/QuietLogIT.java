package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;

/**
 * What the module handles by design is not logged as a problem: on a fresh database, the first submissions
 * arrive together and race to store the shared Device, copies of one submission race to store its identifier,
 * and the EHR is briefly unavailable so deliveries are retried. From start-up on, the log holds no WARN or
 * ERROR line.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuietLogIT extends FhirHttpTest {

    private static final int SUBMISSIONS = 8;
    private static final int REFUSED = 2;

    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s.*");
    /** Deliberate: it tells the operator the module runs without an authorization server, as this test does. */
    private static final String DEVELOPMENT_MODE = "DEVELOPMENT MODE: no authorization server is configured";

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "quiet_log");
        // One request at a time, so the stub EHR's refusals fall on the first requests and only on them.
        registry.add("ehr.max-concurrency", () -> "1");
    }

    @Test
    void concurrentFirstSubmissionsAndRetriedDeliveriesLogNoWarningOrError(CapturedOutput output) throws Exception {
        assertThat(jdbc.queryForObject("select count(*) from triage_resource", Integer.class))
                .isZero();
        ehrUnavailableForTheFirstRequests();

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            bodies.add(json(benign().subject("Patient/synthetic-" + i)
                    .answer("spreading", true)
                    .build()));
        }
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> created : allAtOnce(bodies)) {
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(id(created));
        }
        String resent =
                json(benign().identifier("urn:test:portal", UUID.randomUUID().toString())
                        .build());
        List<HttpResponse<String>> copies = allAtOnce(Collections.nCopies(SUBMISSIONS, resent));
        assertThat(copies)
                .as("one identifier sent %d times at once is stored once", SUBMISSIONS)
                .extracting(HttpResponse::statusCode)
                .containsOnly(200, 201)
                .filteredOn(status -> status == 201)
                .hasSize(1);
        assertThat(copies).extracting(QuietLogIT::id).containsOnly(id(copies.get(0)));
        ids.add(id(copies.get(0)));
        for (String id : ids) {
            awaitStatus(id, "delivered");
        }

        assertThat(jdbc.queryForObject(
                        "select count(*) from triage_resource where resource_type = 'Device'", Integer.class))
                .isEqualTo(1);
        assertThat(EhrStub.posts())
                .as("every submission delivered, %d of them after a retry", REFUSED)
                .hasSize(ids.size() + REFUSED);
        assertThat(output.getAll()).as("the log from start-up on").contains("Successfully applied");
        assertThat(output.getAll()
                        .lines()
                        .filter(line -> WARN_OR_ERROR.matcher(line).matches())
                        .filter(line -> !line.contains(DEVELOPMENT_MODE)))
                .isEmpty();
    }

    private void ehrUnavailableForTheFirstRequests() {
        EhrStub.reset();
        String state = Scenario.STARTED;
        for (int i = 1; i <= REFUSED; i++) {
            EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                    .inScenario("outage")
                    .whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503))
                    .willSetStateTo("refused-" + i));
            state = "refused-" + i;
        }
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .inScenario("outage")
                .whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
    }

    /** Posts the bodies from as many threads, released together. */
    private List<HttpResponse<String>> allAtOnce(List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        CyclicBarrier start = new CyclicBarrier(bodies.size());
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (String body : bodies) {
                sent.add(pool.submit(() -> {
                    start.await();
                    return post("/QuestionnaireResponse", JSON, body);
                }));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : sent) {
                responses.add(response.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String id(HttpResponse<String> response) {
        return parse(QuestionnaireResponse.class, response).getIdPart();
    }
}
