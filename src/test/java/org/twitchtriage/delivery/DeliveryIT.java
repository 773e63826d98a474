package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;

/** Transaction-mode delivery against WireMock playing the EHR: the exact Bundle, retries, refusals, re-drive. */
class DeliveryIT extends FhirHttpTest {

    private static final String TRANSACTION_URL = "/fhir";

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "delivery");
    }

    @BeforeEach
    void anEhrThatAcceptsEverything() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
    }

    @Test
    void sendsOneTransactionOfConditionalCreatesLinkedByUrnUuids() {
        String id = submit(benign().answer("weakness", true)
                .answer("weakness-progressive", true)
                .identifier("urn:test:portal", UUID.randomUUID().toString()));

        Parameters status = awaitStatus(id, "delivered");

        List<LoggedRequest> requests = EhrStub.requestsFor(id);
        assertThat(requests).hasSize(1);
        Bundle sent = EhrStub.FHIR
                .newJsonParser()
                .parseResource(Bundle.class, requests.get(0).getBodyAsString());
        assertThat(sent.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(sent.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly(
                        "Device",
                        "QuestionnaireResponse",
                        "Observation",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "Communication",
                        "Provenance");
        for (BundleEntryComponent entry : sent.getEntry()) {
            assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            assertThat(entry.getRequest().getUrl())
                    .isEqualTo(entry.getResource().fhirType());
            assertThat(entry.getRequest().getIfNoneExist()).matches("(identifier|_tag)=.+%7C.+");
        }
        assertThat(requests.get(0).getBodyAsString())
                .as("no local ids reach the EHR")
                .doesNotContain("\"id\"");
        Map<String, String> fullUrls = sent.getEntry().stream()
                .collect(Collectors.toMap(
                        e -> e.getResource().fhirType(), BundleEntryComponent::getFullUrl, (a, b) -> a));
        Observation observation = resource(sent, Observation.class);
        assertThat(observation.getDerivedFromFirstRep().getReference())
                .isEqualTo(fullUrls.get("QuestionnaireResponse"));
        assertThat(observation.getSubject().getReference()).isEqualTo("Patient/synthetic-1");
        ServiceRequest order = resource(sent, ServiceRequest.class);
        assertThat(order.getReasonReferenceFirstRep().getReference()).isEqualTo(fullUrls.get("Observation"));
        assertThat(order.getSupportingInfoFirstRep().getReference()).isEqualTo(fullUrls.get("QuestionnaireResponse"));
        assertThat(order.getRequester().getReference()).isEqualTo("Organization/triage-site");
        Provenance provenance = resource(sent, Provenance.class);
        assertThat(provenance.getTarget()).extracting(Reference::getReference).allMatch(r -> r.startsWith("urn:uuid:"));
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).isEqualTo(fullUrls.get("Device"));
        assertThat(provenance.getEntityFirstRep().getWhat().getReference())
                .isEqualTo(fullUrls.get("QuestionnaireResponse"));
        assertThat(sent.getEntry().get(12).getRequest().getIfNoneExist()).startsWith("_tag=");
        assertThat(part(status, "attempts").getValue().primitiveValue()).isEqualTo("1");
        assertThat(status.getParameter().stream().filter(p -> p.getName().equals("ehr-id")))
                .anySatisfy(p -> assertThat(p.getPart().get(1).getValue())
                        .isInstanceOfSatisfying(
                                Reference.class,
                                r -> assertThat(r.getReference()).isEqualTo("Observation/ehr-2")));
    }

    @Test
    void retriesServerErrorsHonouringRetryAfterThenDeliversOnce() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("unavailable"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("outage")
                .whenScenarioStateIs("unavailable")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1"))
                .willSetStateTo("recovered"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("outage")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
        long started = System.nanoTime();

        String id = submit(benign().answer("spreading", true));
        Parameters status = awaitStatus(id, "delivered");

        assertThat(EhrStub.requestsFor(id)).hasSize(3);
        assertThat(part(status, "attempts").getValue().primitiveValue()).isEqualTo("3");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("waited for Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retriesAConflictBetweenConcurrentConditionalCreates() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("race")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(409))
                .willSetStateTo("settled"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("race")
                .whenScenarioStateIs("settled")
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));

        String id = submit(benign());
        Parameters status = awaitStatus(id, "delivered");

        assertThat(EhrStub.requestsFor(id)).hasSize(2);
        assertThat(status.getParameter())
                .noneMatch(p -> p.getName().equals("last-error") || p.getName().equals("ehr-outcome"));
    }

    @Test
    void retriesTimeoutsAndConnectionResets() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500))
                .willSetStateTo("reset"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("flaky")
                .whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("fine"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .inScenario("flaky")
                .whenScenarioStateIs("fine")
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));

        String id = submit(benign());
        awaitStatus(id, "delivered");

        assertThat(EhrStub.requestsFor(id)).hasSize(3);
    }

    @Test
    void aRefusalIsParkedWithTheEhrsOutcomeAndCanBeRedriven() {
        EhrStub.reset();
        OperationOutcome refusal = new OperationOutcome();
        refusal.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics("Unknown Organization/triage-site");
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody(EhrStub.FHIR.newJsonParser().encodeResourceToString(refusal))));

        String id = submit(benign().answer("numbness-tingling", true));
        Parameters failed = awaitStatus(id, "failed");

        assertThat(EhrStub.requestsFor(id)).hasSize(1);
        assertThat(part(failed, "last-http-status").getValue().primitiveValue()).isEqualTo("400");
        assertThat(part(failed, "ehr-outcome").getValue().primitiveValue()).contains("Unknown Organization");
        Parameters list = parse(Parameters.class, get("/$failed-deliveries"));
        assertThat(list.getParameter())
                .filteredOn(p -> p.getName().equals("delivery"))
                .anySatisfy(p -> assertThat(((Reference) p.getPart().get(0).getValue()).getReference())
                        .isEqualTo("QuestionnaireResponse/" + id));

        anEhrThatAcceptsEverything();
        HttpResponse<String> redriven = post("/QuestionnaireResponse/" + id + "/$redeliver", null, "");
        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
        Parameters delivered = awaitStatus(id, "delivered");
        assertThat(delivered.getParameter()).noneMatch(p -> p.getName().equals("ehr-outcome"));
        assertThat(EhrStub.requestsFor(id)).hasSize(1);
        outcome(post("/QuestionnaireResponse/" + id + "/$redeliver", null, ""), 412);
    }

    @Test
    void aPatientTheEhrDoesNotKnowFailsTheDeliveryWithoutSendingItUntilRedriven() {
        anEhrThatAcceptsEverything();
        String patient = "Patient/synthetic-" + UUID.randomUUID();
        EhrStub.SERVER.stubFor(WireMock.get(urlEqualTo("/fhir/" + patient))
                .willReturn(aResponse().withStatus(404)));

        String id = submit(benign().subject(patient));
        Parameters failed = awaitStatus(id, "failed");

        assertThat(EhrStub.requestsFor(id)).as("nothing is sent").isEmpty();
        assertThat(part(failed, "last-error").getValue().primitiveValue())
                .startsWith("patient-unknown: ")
                .contains("re-drive")
                .doesNotContain(patient);
        assertThat(part(failed, "attempts").getValue().primitiveValue()).isEqualTo("1");

        EhrStub.SERVER.stubFor(WireMock.get(urlEqualTo("/fhir/" + patient))
                .willReturn(aResponse().withStatus(200)));
        HttpResponse<String> redriven = post("/QuestionnaireResponse/" + id + "/$redeliver", null, "");
        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
        awaitStatus(id, "delivered");
        assertThat(EhrStub.requestsFor(id)).hasSize(1);
        EhrStub.SERVER.verify(2, getRequestedFor(urlEqualTo("/fhir/" + patient)));
    }

    @Test
    void aPatientFoundIsNotAskedForAgain() {
        anEhrThatAcceptsEverything();
        String patient = "Patient/synthetic-" + UUID.randomUUID();

        awaitStatus(submit(benign().subject(patient)), "delivered");
        awaitStatus(submit(benign().subject(patient).answer("spreading", true)), "delivered");

        EhrStub.SERVER.verify(1, getRequestedFor(urlEqualTo("/fhir/" + patient)));
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo(TRANSACTION_URL))
                .willReturn(aResponse().withStatus(502)));

        String id = submit(benign());
        Parameters failed = awaitStatus(id, "failed");

        assertThat(EhrStub.requestsFor(id)).hasSize(4);
        assertThat(part(failed, "last-error").getValue().primitiveValue()).contains("502", "gave up");
    }

    @Test
    void eachDeliveryIsRecordedAsADisclosureToTheEhr() {
        String id = submit(benign().subject("Patient/disclosed")
                .identifier("urn:test:portal", UUID.randomUUID().toString()));
        awaitStatus(id, "delivered");

        Bundle events = await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> parse(Bundle.class, get("/AuditEvent?entity=QuestionnaireResponse/" + id)),
                        b -> b.getEntry().stream().anyMatch(e -> isDisclosure(e.getResource())));
        AuditEvent disclosure = events.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(DeliveryIT::isDisclosure)
                .findFirst()
                .orElseThrow();
        assertThat(disclosure.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(disclosure.getAgent())
                .extracting(a -> a.getType().getCodingFirstRep().getCode())
                .containsExactly("110153", "110152");
        assertThat(disclosure.getAgent().get(0).getWho().getReference()).isEqualTo("Device/twitch-triage");
        assertThat(disclosure.getAgent().get(1).getNetwork().getAddress()).isEqualTo(EhrStub.baseUrl());
        assertThat(disclosure.getEntity())
                .extracting(e -> e.getWhat().getReference())
                .contains(
                        "Patient/disclosed",
                        "QuestionnaireResponse/" + id,
                        "Observation/" + id,
                        "Provenance/" + id,
                        "Device/twitch-triage");
    }

    private static boolean isDisclosure(IBaseResource resource) {
        return ((AuditEvent) resource).getSubtypeFirstRep().getCode().equals("transaction");
    }

    private static Parameters.ParametersParameterComponent part(Parameters parameters, String name) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static <T> T resource(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }
}
