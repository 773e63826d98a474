package org.twitchtriage.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.MutableClock;

/** Reading the EHR's CapabilityStatement: when it is read again, what deliveries go by meanwhile, how types are written. */
class CapabilitiesCheckTest {

    private static final String METADATA = "/fhir/metadata";
    private static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void reset() {
        SERVER.resetAll();
    }

    @Test
    void readOnceAndAgainAfterTheRefreshInterval() {
        serve(statement(true));
        CapabilitiesCheck check = check(EhrProperties.Mode.AUTO);

        assertThat(check.support())
                .hasValueSatisfying(s -> assertThat(s.transaction()).isTrue());
        clock.advance(Duration.ofMinutes(59));
        check.support();
        SERVER.verify(1, getRequestedFor(urlEqualTo(METADATA)));

        serve(statement(false));
        clock.advance(Duration.ofMinutes(1));
        assertThat(check.support())
                .as("read again after ehr.capabilities-refresh (1 h)")
                .hasValueSatisfying(s -> assertThat(s.transaction()).isFalse());
        SERVER.verify(2, getRequestedFor(urlEqualTo(METADATA)));
        assertThat(check.current().readAt()).isEqualTo(clock.instant());
    }

    @Test
    void autoWaitsWithoutAStatementAndKeepsTheLastOneWhenARefreshFails() {
        SERVER.stubFor(get(urlEqualTo(METADATA)).willReturn(aResponse().withStatus(503)));
        CapabilitiesCheck check = check(EhrProperties.Mode.AUTO);

        assertThat(check.support()).as("no statement: deliveries wait").isEmpty();
        assertThat(check.current().problem()).isEqualTo("HTTP 503");
        Map<String, Object> details = check.details(check.known());
        assertThat(details).containsEntry("read", false).containsEntry("problem", "HTTP 503");
        assertThat(String.valueOf(details.get("deliveries"))).startsWith("waiting");
        check.support();
        SERVER.verify(1, getRequestedFor(urlEqualTo(METADATA))); // asked again only after a backoff

        serve(statement(true));
        clock.advance(Duration.ofSeconds(3));
        assertThat(check.support()).as("read again after the backoff").isPresent();

        SERVER.stubFor(get(urlEqualTo(METADATA)).willReturn(aResponse().withStatus(500)));
        clock.advance(Duration.ofHours(1));
        assertThat(check.support()).as("the statement read before still stands").isPresent();
        assertThat(check.current().problem()).isEqualTo("HTTP 500");
    }

    @Test
    void explicitModesGoAheadWithoutAStatementAndUseOneOnceRead() {
        SERVER.stubFor(get(urlEqualTo(METADATA)).willReturn(aResponse().withStatus(404)));
        CapabilitiesCheck individual = check(EhrProperties.Mode.INDIVIDUAL);

        assertThat(individual.support()).hasValueSatisfying(s -> {
            assertThat(s.transaction()).isFalse();
            assertThat(s.write("QuestionnaireResponse")).isEqualTo(CapabilitiesCheck.Write.CONDITIONAL_CREATE);
        });

        serve(statement(true));
        CapabilitiesCheck transaction = check(EhrProperties.Mode.TRANSACTION);
        assertThat(transaction.support()).hasValueSatisfying(s -> {
            assertThat(s.transaction()).isTrue();
            assertThat(s.write("QuestionnaireResponse")).isEqualTo(CapabilitiesCheck.Write.NONE);
        });
    }

    @Test
    void eachTypeIsWrittenAsTheStatementAllows() {
        serve(statement(false));
        CapabilitiesCheck.Support support =
                check(EhrProperties.Mode.AUTO).support().orElseThrow();

        assertThat(support.write("Observation")).isEqualTo(CapabilitiesCheck.Write.CONDITIONAL_CREATE);
        assertThat(support.write("ServiceRequest")).isEqualTo(CapabilitiesCheck.Write.UPDATE_AS_CREATE);
        assertThat(support.write("Communication")).isEqualTo(CapabilitiesCheck.Write.SEARCH_THEN_CREATE);
        assertThat(support.write("Device")).isEqualTo(CapabilitiesCheck.Write.CREATE);
        assertThat(support.write("QuestionnaireResponse")).isEqualTo(CapabilitiesCheck.Write.NONE);
        assertThat(CapabilitiesCheck.plan(support)).containsEntry("Provenance", "not sent: the EHR cannot create it");
    }

    private CapabilitiesCheck check(EhrProperties.Mode mode) {
        EhrProperties properties = PlainEhrClients.properties(SERVER.port(), mode);
        return new CapabilitiesCheck(PlainEhrClients.of(properties), properties, clock);
    }

    private static void serve(CapabilityStatement statement) {
        SERVER.stubFor(get(urlEqualTo(METADATA))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(statement))));
    }

    /**
     * Observation: conditional create; ServiceRequest: update as create; Communication: create and search; Device:
     * create only; QuestionnaireResponse: read only; Provenance: not listed.
     */
    private static CapabilityStatement statement(boolean transaction) {
        CapabilityStatement statement = new CapabilityStatement();
        CapabilityStatement.CapabilityStatementRestComponent rest =
                statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        if (transaction) {
            rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
        }
        CapabilityStatementRestResourceComponent observation =
                rest.addResource().setType("Observation");
        observation.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        observation.setConditionalCreate(true);
        CapabilityStatementRestResourceComponent order = rest.addResource().setType("ServiceRequest");
        order.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
        order.setUpdateCreate(true);
        CapabilityStatementRestResourceComponent guidance = rest.addResource().setType("Communication");
        guidance.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        guidance.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        rest.addResource().setType("Device").addInteraction().setCode(TypeRestfulInteraction.CREATE);
        rest.addResource().setType("QuestionnaireResponse").addInteraction().setCode(TypeRestfulInteraction.READ);
        return statement;
    }
}
