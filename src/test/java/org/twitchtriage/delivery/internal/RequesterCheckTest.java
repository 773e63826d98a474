package org.twitchtriage.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.twitchtriage.testing.MutableClock;

/** The requester Organization's check against WireMock playing the EHR: what it logs at start, and how often it asks. */
class RequesterCheckTest {

    private static final String ORGANIZATION = "Organization/triage-site";
    private static final String URL = "/fhir/" + ORGANIZATION;
    private static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RequesterCheck.class);
    private RequesterCheck check;

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void setUp() {
        SERVER.resetAll();
        logged.start();
        logger.addAppender(logged);
        EhrClient client = PlainEhrClients.of(SERVER.port());
        check = new RequesterCheck(client, ORGANIZATION, clock);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logged);
    }

    @Test
    void aMissingOrganizationIsAWarningAtStartThatSaysWhatToDo() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(404)));

        check.atStart();

        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .contains("The EHR has no Organization/triage-site (it answered HTTP 404)")
                    .contains("refuse every delivery")
                    .contains("ehr.requester-organization");
        });
    }

    @Test
    void aFoundOrganizationIsNotedAtStart() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(200)));

        check.atStart();

        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).contains("The EHR has Organization/triage-site");
        });
    }

    @Test
    void anEhrThatCannotBeReachedLeavesTheOrganizationUnchecked() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(403)));

        assertThat(check.result().state()).isEqualTo(RequesterCheck.State.UNCHECKED);
        assertThat(check.result().detail()).isEqualTo("HTTP 403");
    }

    @Test
    void aMissingOrganizationIsAskedForAgainSoonAndAFoundOneSeldom() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(404)));
        assertThat(check.result().state()).isEqualTo(RequesterCheck.State.MISSING);
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(200)));

        clock.advance(RequesterCheck.OTHER_TTL.minusSeconds(1));
        assertThat(check.result().state()).as("within the short interval").isEqualTo(RequesterCheck.State.MISSING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(check.result().state()).as("created since").isEqualTo(RequesterCheck.State.FOUND);

        clock.advance(RequesterCheck.FOUND_TTL.minusSeconds(1));
        assertThat(check.result().state()).isEqualTo(RequesterCheck.State.FOUND);
        SERVER.verify(2, getRequestedFor(urlEqualTo(URL)));
        clock.advance(Duration.ofSeconds(1));
        check.result();
        SERVER.verify(3, getRequestedFor(urlEqualTo(URL)));
    }
}
