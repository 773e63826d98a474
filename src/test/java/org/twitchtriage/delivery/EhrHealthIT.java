package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.delivery.internal.EhrHealthIndicator;
import org.twitchtriage.testing.FhirHttpTest;

/** The {@code ehr} health component with delivery on, against WireMock playing the EHR. */
class EhrHealthIT extends FhirHttpTest {

    private static final String METADATA_URL = "/fhir/metadata";
    private static final String TRANSACTION_URL = "/fhir";
    private static final String REQUESTER_URL = "/fhir/Organization/triage-site";
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "ehr_health");
        // Details are for authorised callers, and there is no authentication yet: show them to read them here.
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    @Autowired
    private EhrHealthIndicator indicator;

    @BeforeEach
    void freshEhrAndProbe() {
        EhrStub.reset();
        indicator.forgetProbe();
    }

    @Test
    void upWithTheBacklogWhenTheEhrAnswersItsCapabilityStatement() {
        answeringMetadata();

        HttpResponse<String> response = health("");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode ehr = json(response).path("components").path("ehr");
        assertThat(ehr.path("status").asText()).isEqualTo("UP");
        JsonNode details = ehr.path("details");
        assertThat(details.path("delivery").asText()).isEqualTo("on");
        assertThat(details.path("reachable").asBoolean()).isTrue();
        assertThat(details.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(details.path("backlog").isIntegralNumber())
                .as(details.toString())
                .isTrue();
        assertThat(details.path("failed").isIntegralNumber())
                .as(details.toString())
                .isTrue();
        assertThat(details.path("oldestPendingAge").asText()).startsWith("PT");
        assertThat(details.path("checkedAt").asText()).isNotEmpty();
        assertThat(details.path("requesterOrganization").asText()).isEqualTo("found");
        assertThat(details.toString())
                .as("no address or credentials of the EHR")
                .doesNotContain("localhost");
        assertThat(EhrStub.SERVER
                        .findAll(getRequestedFor(urlEqualTo(METADATA_URL)))
                        .get(0)
                        .getHeader("Accept"))
                .isEqualTo("application/fhir+json");
    }

    @Test
    void downWhenTheEhrFailsWhileIntakeStaysReadyAndTheBacklogShows() {
        EhrStub.SERVER.stubFor(
                WireMock.get(urlEqualTo(METADATA_URL)).willReturn(aResponse().withStatus(500)));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "600")));

        String waiting = submit(benign());
        long pending = jdbc.queryForObject("select count(*) from delivery where status = 'PENDING'", Long.class);
        assertThat(pending).isPositive();

        // The backlog is read at most every few seconds: wait for the reading that includes this submission.
        JsonNode ehr = await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> json(health("")).path("components").path("ehr"),
                        node -> node.path("details").path("backlog").asLong() == pending);
        assertThat(ehr.path("status").asText()).isEqualTo("DOWN");
        assertThat(ehr.path("details").path("reachable").asBoolean()).isFalse();
        assertThat(ehr.path("details").path("httpStatus").asInt()).isEqualTo(500);
        assertThat(ehr.path("details").path("oldestPendingAge").asText()).startsWith("PT");
        JsonNode capabilities = ehr.path("details").path("capabilities");
        assertThat(capabilities.path("read").asBoolean())
                .as("the CapabilityStatement cannot be read")
                .isFalse();
        assertThat(capabilities.path("deliveries").asText()).startsWith("waiting");
        assertThat(ehr.path("details").path("capabilitiesReason").asText()).contains("deliveries wait");
        assertThat(jdbc.queryForObject("select attempts from delivery where delivery_key = ?", Integer.class, waiting))
                .as("nothing is tried while the module does not know what the EHR takes")
                .isZero();

        HttpResponse<String> aggregate = health("");
        assertThat(aggregate.statusCode())
                .as("the aggregate shows the outage to monitoring")
                .isEqualTo(503);
        assertThat(json(aggregate).path("status").asText()).isEqualTo("DOWN");
        for (String probe : new String[] {"/readiness", "/liveness"}) {
            HttpResponse<String> response = health(probe);
            assertThat(response.statusCode()).as(probe + ": " + response.body()).isEqualTo(200);
            assertThat(json(response).path("status").asText()).isEqualTo("UP");
            assertThat(json(response).path("components").has("ehr")).as(probe).isFalse();
        }
        assertThat(json(health("/readiness")).path("components").has("db")).isTrue();
        assertThat(submit(benign())).as("intake goes on while the EHR is down").isNotBlank();

        // Let the EHR take what waits, so nothing is left pending for the other tests.
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
        jdbc.update(
                "update delivery set next_attempt_at = ? where status = 'PENDING'",
                Timestamp.from(Instant.now().minusSeconds(1)));
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        jdbc.queryForObject("select count(*) from delivery where status = 'PENDING'", Long.class) == 0);
        awaitStatus(waiting, "delivered");
    }

    @Test
    void downWhenTheEhrDropsTheConnection() {
        EhrStub.SERVER.stubFor(WireMock.get(urlEqualTo(METADATA_URL))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        JsonNode ehr = json(health("")).path("components").path("ehr");

        assertThat(ehr.path("status").asText()).isEqualTo("DOWN");
        assertThat(ehr.path("details").path("reachable").asBoolean()).isFalse();
        assertThat(ehr.path("details").has("httpStatus")).isFalse();
        assertThat(ehr.path("details").path("error").asText()).isNotEmpty();
    }

    @Test
    void probesTheEhrAtMostOncePerInterval() {
        answeringMetadata();
        for (int i = 0; i < 5; i++) {
            assertThat(json(health(""))
                            .path("components")
                            .path("ehr")
                            .path("status")
                            .asText())
                    .isEqualTo("UP");
        }
        assertThat(EhrStub.SERVER.findAll(getRequestedFor(urlEqualTo(METADATA_URL))))
                .as("one probe, and one read of the CapabilityStatement, which is kept for ehr.capabilities-refresh")
                .hasSize(2);

        EhrStub.reset();
        EhrStub.SERVER.stubFor(
                WireMock.get(urlEqualTo(METADATA_URL)).willReturn(aResponse().withStatus(500)));
        assertThat(json(health(""))
                        .path("components")
                        .path("ehr")
                        .path("status")
                        .asText())
                .as("the last probe holds for a while")
                .isEqualTo("UP");
        assertThat(EhrStub.SERVER.findAll(getRequestedFor(urlEqualTo(METADATA_URL))))
                .isEmpty();

        indicator.forgetProbe();
        assertThat(json(health(""))
                        .path("components")
                        .path("ehr")
                        .path("status")
                        .asText())
                .isEqualTo("DOWN");
    }

    @Test
    void downWithTheReasonWhileTheEhrLacksTheRequesterOrganizationAndUpOnceItExists() {
        answeringMetadata();
        EhrStub.SERVER.stubFor(
                WireMock.get(urlEqualTo(REQUESTER_URL)).willReturn(aResponse().withStatus(404)));

        JsonNode missing = json(health("")).path("components").path("ehr");

        assertThat(missing.path("status").asText()).isEqualTo("DOWN");
        assertThat(missing.path("details").path("reachable").asBoolean()).isTrue();
        assertThat(missing.path("details").path("requesterOrganization").asText())
                .isEqualTo("missing");
        assertThat(missing.path("details").path("reason").asText())
                .isEqualTo("The EHR has no Organization/triage-site, which the orders name as their requester:"
                        + " create it there");
        assertThat(json(health("/readiness")).path("status").asText())
                .as("intake is unaffected")
                .isEqualTo("UP");

        EhrStub.SERVER.stubFor(WireMock.get(urlEqualTo(REQUESTER_URL))
                .willReturn(aResponse().withStatus(200).withBody("{\"resourceType\":\"Organization\"}")));
        indicator.forgetProbe();
        JsonNode created = json(health("")).path("components").path("ehr");

        assertThat(created.path("status").asText()).isEqualTo("UP");
        assertThat(created.path("details").path("requesterOrganization").asText())
                .isEqualTo("found");
        assertThat(created.path("details").has("reason")).isFalse();
    }

    @Test
    void aRequesterCheckTheEhrWillNotAnswerLeavesTheStatusToReachability() {
        answeringMetadata();
        EhrStub.SERVER.stubFor(
                WireMock.get(urlEqualTo(REQUESTER_URL)).willReturn(aResponse().withStatus(403)));

        JsonNode ehr = json(health("")).path("components").path("ehr");

        assertThat(ehr.path("status").asText()).isEqualTo("UP");
        assertThat(ehr.path("details").path("requesterOrganization").asText()).isEqualTo("unchecked");
        assertThat(ehr.path("details").path("requesterCheck").asText()).isEqualTo("HTTP 403");
    }

    /** The EHR answers its CapabilityStatement and has the requester Organization. */
    private static void answeringMetadata() {
        EhrStub.SERVER.stubFor(WireMock.get(urlEqualTo(REQUESTER_URL))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody("{\"resourceType\":\"Organization\",\"id\":\"triage-site\"}")));
        EhrStub.capabilities(EhrProfiles.everything());
    }

    private HttpResponse<String> health(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health" + path))
                .build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON_MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
