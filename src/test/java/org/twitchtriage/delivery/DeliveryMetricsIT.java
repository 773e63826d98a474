package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;

/**
 * The delivery meters as {@code /actuator/prometheus} exports them, against WireMock playing the EHR.
 * Counters are compared before and after, so other work in the same application cannot upset them.
 */
@AutoConfigureObservability(tracing = false)
class DeliveryMetricsIT extends FhirHttpTest {

    private static final String TRANSACTION_URL = "/fhir";

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "delivery_metrics");
    }

    @BeforeEach
    void resetTheEhr() {
        EhrStub.reset();
    }

    @Test
    void countsDeliveredRetriedAndFailedDeliveriesAndTheirLatency() {
        Map<String, Double> before = scrape();

        accepting();
        String delivered = submit(benign());
        awaitStatus(delivered, "delivered");

        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(400)));
        String refused = submit(benign().answer("spreading", true));
        awaitStatus(refused, "failed");

        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("blip")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("recovered"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("blip")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
        String retried = submit(benign().answer("numbness-tingling", true));
        awaitStatus(retried, "delivered");

        String text = prometheus();
        Map<String, Double> after = parse(text);
        assertThat(delta(before, after, "twitchtriage_deliveries_delivered_total"))
                .isEqualTo(2);
        assertThat(delta(before, after, "twitchtriage_deliveries_retried_total"))
                .isEqualTo(1);
        assertThat(delta(before, after, "twitchtriage_deliveries_failed_total{reason=\"refused\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "twitchtriage_deliveries_failed_total{reason=\"exhausted\"}"))
                .isZero();
        assertThat(delta(before, after, "twitchtriage_delivery_latency_seconds_count"))
                .isEqualTo(2);
        assertThat(delta(before, after, "twitchtriage_delivery_latency_seconds_sum"))
                .isPositive();
        assertThat(delta(before, after, "twitchtriage_delivery_attempt_seconds_count{outcome=\"delivered\"}"))
                .isEqualTo(2);
        assertThat(delta(before, after, "twitchtriage_delivery_attempt_seconds_count{outcome=\"retry\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "twitchtriage_delivery_attempt_seconds_count{outcome=\"refused\"}"))
                .isEqualTo(1);
        assertThat(text)
                .as("a histogram for the latency")
                .contains("twitchtriage_delivery_latency_seconds_bucket{le=\"+Inf\"}");
        assertThat(text).as("no submission id in any metric").doesNotContain(delivered, refused, retried);

        awaitGauges();
        assertThat(send(HttpRequest.newBuilder(actuator("/metrics/twitchtriage.deliveries.delivered"))
                                .build())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aSubmissionIsTimedAsARequestAndNotFilterByFilter() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
        // Delivered before the test ends, so the other tests' counts do not see it.
        awaitStatus(submit(benign()), "delivered");

        String text = prometheus();
        assertThat(text).contains("http_server_requests_seconds_count{");
        assertThat(text).doesNotContain("spring_security_");
    }

    @Test
    void theCommitsOnAnH2FileAndTheWritesThatServedThemAreCounted() {
        Map<String, Double> before = scrape();
        submit(benign());
        Map<String, Double> after = scrape();

        if (TestDatabase.postgres()) {
            // PostgreSQL's commits are its own business: nothing waits, nothing is counted.
            assertThat(after.get("twitchtriage_storage_h2_commits_total")).isZero();
            assertThat(after.get("twitchtriage_storage_h2_writes_total")).isZero();
        } else {
            double commits = delta(before, after, "twitchtriage_storage_h2_commits_total");
            double writes = delta(before, after, "twitchtriage_storage_h2_writes_total");
            assertThat(commits).isGreaterThanOrEqualTo(1);
            assertThat(writes).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(commits);
        }
    }

    @Test
    void theBacklogGaugesFollowTheOutbox() {
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "600")));
        String waiting = submit(benign());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !EhrStub.requestsFor(waiting).isEmpty());

        Map<String, Double> gauges = awaitGauges();
        assertThat(gauges.get("twitchtriage_deliveries_backlog")).isGreaterThanOrEqualTo(1);
        assertThat(gauges.get("twitchtriage_deliveries_backlog_age_seconds")).isGreaterThanOrEqualTo(0);

        // Let the EHR take it now, so nothing is left pending for the other tests.
        accepting();
        jdbc.update(
                "update delivery set next_attempt_at = ? where submission_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)),
                waiting);
        awaitStatus(waiting, "delivered");
        assertThat(awaitGauges().get("twitchtriage_deliveries_backlog")).isZero();
    }

    /** Waits until the (cached) gauges agree with the outbox table, and returns the scrape. */
    private Map<String, Double> awaitGauges() {
        return await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        this::scrape,
                        scrape -> scrape.get("twitchtriage_deliveries_backlog") == count("PENDING")
                                && scrape.get("twitchtriage_deliveries_parked") == count("FAILED")
                                && scrape.containsKey("twitchtriage_deliveries_backlog_age_seconds"));
    }

    private double count(String status) {
        return jdbc.queryForObject("select count(*) from delivery where status = ?", Long.class, status);
    }

    private void accepting() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
    }

    private URI actuator(String path) {
        return URI.create("http://localhost:" + port + "/actuator" + path);
    }

    private String prometheus() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(actuator("/prometheus")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private Map<String, Double> scrape() {
        return parse(prometheus());
    }

    /** Sample lines of the text format, keyed by name and labels as exported; comments left out. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int split = line.lastIndexOf(' ');
            samples.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        });
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).as("exported: " + sample).containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}
