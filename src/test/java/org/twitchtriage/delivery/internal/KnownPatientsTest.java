package org.twitchtriage.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the EHR's answer about a submission's patient makes of the delivery, against WireMock playing the EHR. */
class KnownPatientsTest {

    private static final String PATIENT = "Patient/synthetic-1";
    private static final String URL = "/fhir/" + PATIENT;
    private static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());

    private KnownPatients patients;

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
        EhrClient client = PlainEhrClients.of(SERVER.port());
        patients = new KnownPatients(
                client, Duration.ofSeconds(2), Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aPatientTheEhrHasLetsTheDeliveryGo() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(200)));

        assertThat(patients.problem(submission(PATIENT))).isEmpty();
    }

    @Test
    void aPatientTheEhrDoesNotHaveIsRefusedAsPatientUnknown() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(410)));

        assertThat(patients.problem(submission(PATIENT)))
                .hasValueSatisfying(result -> assertThat(result)
                        .isInstanceOfSatisfying(
                                EhrClient.Refused.class,
                                refused -> assertThat(refused.error()).startsWith("patient-unknown: ")));
    }

    @Test
    void anEhrThatIsBusyOrUnreachableIsAskedAgainLater() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(503)));
        assertThat(patients.problem(submission(PATIENT))).containsInstanceOf(EhrClient.Retry.class);

        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(patients.problem(submission(PATIENT))).containsInstanceOf(EhrClient.Retry.class);
    }

    @Test
    void anEhrThatWillNotLetPatientsBeReadLeavesTheDecisionToTheDelivery() {
        SERVER.stubFor(get(urlEqualTo(URL)).willReturn(aResponse().withStatus(403)));

        assertThat(patients.problem(submission(PATIENT))).isEmpty();
    }

    @Test
    void aSubmissionWithoutALocalPatientIsNotAskedAbout() {
        assertThat(patients.problem(submission("http://elsewhere.example/fhir/Patient/1")))
                .isEmpty();
        assertThat(patients.problem(List.of(new Observation()))).isEmpty();
        assertThat(SERVER.getAllServeEvents()).isEmpty();
    }

    private static List<Resource> submission(String subject) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setSubject(new Reference(subject));
        return List.of(response, new Observation());
    }
}
