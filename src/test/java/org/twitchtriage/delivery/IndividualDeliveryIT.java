package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.FhirRequests;
import org.twitchtriage.testing.TestDatabase;

/** Individual mode: conditional creates one by one, references rewritten to the ids the EHR returned. */
class IndividualDeliveryIT extends FhirHttpTest {

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        TestDatabase.configureIsolated(registry, "individual");
        registry.add("ehr.base-url", EhrStub::baseUrl);
        registry.add("ehr.mode", () -> "individual");
        registry.add("ehr.poll-interval", () -> "50ms");
        registry.add("ehr.request-timeout", () -> "2s");
        registry.add("ehr.retry.initial-interval", () -> "50ms");
    }

    @Test
    void createsInDependencyOrderAndRewritesReferences() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlPathMatching("/fhir/[A-Za-z]+"))
                .willReturn(aResponse().withTransformers(EhrStub.CREATED)));
        String id = submit(benign().answer("numbness-tingling", true));

        awaitStatus(id, "delivered");

        List<LoggedRequest> requests = EhrStub.requestsFor(id);
        List<String> paths =
                EhrStub.posts().stream().map(e -> e.getRequest().getUrl()).toList();
        assertThat(paths)
                .containsExactlyInAnyOrder(
                        "/fhir/Device",
                        "/fhir/QuestionnaireResponse",
                        "/fhir/Observation",
                        "/fhir/ServiceRequest",
                        "/fhir/ServiceRequest",
                        "/fhir/Communication",
                        "/fhir/Provenance");
        List<LoggedRequest> inOrder = EhrStub.posts().stream()
                .map(e -> e.getRequest())
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(LoggedRequest.class::cast)
                .toList();
        assertThat(inOrder)
                .extracting(LoggedRequest::getUrl)
                .startsWith("/fhir/Device", "/fhir/QuestionnaireResponse", "/fhir/Observation")
                .endsWith("/fhir/Provenance");
        assertThat(inOrder)
                .allSatisfy(r -> assertThat(r.getHeader("If-None-Exist")).isNotBlank());
        Map<String, String> ehrIds = ehrIds(id);
        Observation observation = body(inOrder, "/fhir/Observation", Observation.class);
        assertThat(observation.getDerivedFromFirstRep().getReference())
                .isEqualTo(ehrIds.get("QuestionnaireResponse/" + id));
        ServiceRequest order = body(inOrder, "/fhir/ServiceRequest", ServiceRequest.class);
        assertThat(order.getReasonReferenceFirstRep().getReference()).isEqualTo(ehrIds.get("Observation/" + id));
        Provenance provenance = body(inOrder, "/fhir/Provenance", Provenance.class);
        assertThat(provenance.getTarget()).extracting(Reference::getReference).allMatch(r -> r.contains("/ehr-"));
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).startsWith("Device/ehr-device-");
        assertThat(requests).isNotEmpty();
    }

    private Map<String, String> ehrIds(String id) {
        return FhirRequests.deliveryStatus(fhirBase(), id).getParameter().stream()
                .filter(p -> p.getName().equals("ehr-id"))
                .collect(Collectors.toMap(
                        p -> ((Reference) p.getPart().get(0).getValue()).getReference(),
                        p -> ((Reference) p.getPart().get(1).getValue()).getReference()));
    }

    private static <T extends Resource> T body(List<LoggedRequest> requests, String path, Class<T> type) {
        LoggedRequest request = requests.stream()
                .filter(r -> r.getUrl().equals(path))
                .findFirst()
                .orElseThrow();
        return EhrStub.FHIR.newJsonParser().parseResource(type, request.getBodyAsString());
    }
}
