package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.delivery.internal.DeliveryRepository;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.FhirRequests;

/**
 * Corrections and retractions reach the EHR (WireMock over a small FHIR store) as a delivery of their own: one
 * transaction of updates by the EHR's ids with If-Match on the version last written, sent only after the deliveries
 * before it, leaving alone what the EHR has moved on.
 */
@Import(AmendmentDeliveryIT.Listening.class)
class AmendmentDeliveryIT extends FhirHttpTest {

    static final String SID = "http://twitchtriage.org/fhir/sid/";
    static final String PORTAL = "urn:test:portal";
    static final String NEUROLOGY = "-183521007";
    static final String MRI = "-306144006";

    @Autowired
    private DeliveryRepository repository;

    @Autowired
    private TransactionTemplate transaction;

    @Autowired
    private Attention attention;

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "amendment_delivery");
    }

    @BeforeEach
    void anEhrThatKeepsWhatItIsSent() {
        EhrStub.reset();
        EhrStub.storing();
    }

    @Test
    void aCorrectionIsOneTransactionOfConditionalUpdatesOnTheVersionsLastWritten() {
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        awaitStatus(id, "delivered");
        String device = EhrStub.STORE
                .all("Device")
                .get(0)
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();

        amend(id, benign().identifier(PORTAL, portalId));

        ParametersParameterComponent delivery = awaitAmendment(id, 2, "delivered");
        assertThat(part(delivery, "revision").primitiveValue()).isEqualTo("2");
        List<Bundle> sent = transactions(id);
        assertThat(sent).hasSize(2);
        Bundle amendment = sent.get(1);
        assertThat(amendment.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(requests(amendment))
                .as("what the EHR has is updated by the id it gave it, on the version the module wrote there")
                .containsExactly(
                        "PUT " + ehrId("QuestionnaireResponse", portalId) + " W/\"1\"",
                        "PUT " + ehrId("Observation", id) + " W/\"1\"",
                        "PUT " + ehrId("ServiceRequest", id + NEUROLOGY) + " W/\"1\"",
                        "PUT " + ehrId("ServiceRequest", id + MRI) + " W/\"1\"",
                        "PUT " + ehrId("Communication", id) + " W/\"1\"",
                        "POST Provenance if-none-exist _tag=" + encode(SID + "provenance|" + id + "-2"));
        Map<String, String> fullUrls = fullUrls(amendment);
        QuestionnaireResponse response = resource(amendment, 0, QuestionnaireResponse.class);
        assertThat(response.getStatus()).isEqualTo(QuestionnaireResponseStatus.AMENDED);
        Observation observation = resource(amendment, 1, Observation.class);
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("self-care");
        assertThat(observation.getDerivedFromFirstRep().getReference())
                .isEqualTo(fullUrls.get("QuestionnaireResponse"));
        assertThat(resource(amendment, 2, ServiceRequest.class).getStatus()).isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(resource(amendment, 3, ServiceRequest.class).getStatus()).isEqualTo(ServiceRequestStatus.REVOKED);
        Provenance provenance = resource(amendment, 5, Provenance.class);
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE");
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactly(
                        target(amendment, 1), target(amendment, 2), target(amendment, 3), target(amendment, 4));
        assertThat(provenance.getEntity())
                .extracting(e -> e.getRole().toCode() + " " + e.getWhat().getReference())
                .contains("source " + fullUrls.get("QuestionnaireResponse"));
        assertThat(provenance.getAgentFirstRep().getWho().getReference())
                .as("the Device is where the EHR has it")
                .isEqualTo(device);
        assertThat(EhrStub.FHIR.newJsonParser().encodeResourceToString(amendment))
                .as("no local id or version reaches the EHR: an update by id carries the EHR's id")
                .doesNotContain("_history")
                .doesNotContain("\"id\":\"" + id)
                .contains("\"id\":\"" + new org.hl7.fhir.r4.model.IdType(ehrId("Observation", id)).getIdPart() + "\"");

        assertOnePerIdentifier(id);
        Observation there = only("Observation", id, Observation.class);
        assertThat(there.getMeta().getVersionId()).isEqualTo("2");
        assertThat(there.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("self-care");
        assertThat(only("ServiceRequest", id + NEUROLOGY, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(only("ServiceRequest", id + MRI, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(EhrStub.STORE.all("Provenance")).hasSize(2);
        assertThat(delivery.getPart()).noneMatch(p -> p.getName().equals("left"));
        assertThat(attention.about(id)).isEmpty();
    }

    @Test
    void aRetractionMarksEverythingEnteredInErrorInOneTransaction() {
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        awaitStatus(id, "delivered");

        amend(id, numbness(portalId).status(QuestionnaireResponseStatus.ENTEREDINERROR));

        awaitAmendment(id, 2, "delivered");
        Bundle retraction = transactions(id).get(1);
        assertThat(requests(retraction))
                .containsExactly(
                        "PUT " + ehrId("QuestionnaireResponse", portalId) + " W/\"1\"",
                        "PUT " + ehrId("Observation", id) + " W/\"1\"",
                        "PUT " + ehrId("ServiceRequest", id + NEUROLOGY) + " W/\"1\"",
                        "PUT " + ehrId("ServiceRequest", id + MRI) + " W/\"1\"",
                        "PUT " + ehrId("Communication", id) + " W/\"1\"",
                        "POST Provenance if-none-exist _tag=" + encode(SID + "provenance|" + id + "-2"));
        assertThat(resource(retraction, 0, QuestionnaireResponse.class).getStatus())
                .isEqualTo(QuestionnaireResponseStatus.ENTEREDINERROR);
        assertThat(resource(retraction, 5, Provenance.class)
                        .getActivity()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("NULLIFY");

        assertOnePerIdentifier(id);
        assertThat(only("Observation", id, Observation.class).getStatus())
                .isEqualTo(Observation.ObservationStatus.ENTEREDINERROR);
        assertThat(only("ServiceRequest", id + NEUROLOGY, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.ENTEREDINERROR);
        assertThat(only("ServiceRequest", id + MRI, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.ENTEREDINERROR);
        assertThat(only("Communication", id, Communication.class).getStatus())
                .isEqualTo(Communication.CommunicationStatus.ENTEREDINERROR);
        assertThat(EhrStub.STORE.withIdentifier("QuestionnaireResponse", portalId))
                .singleElement()
                .satisfies(r -> assertThat(((QuestionnaireResponse) r).getStatus())
                        .isEqualTo(QuestionnaireResponseStatus.ENTEREDINERROR));
    }

    @Test
    void anAmendmentQueuedBehindAFailingOriginalGoesOnlyAfterItIsReDrivenAndDelivered() {
        StubMapping outage = EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        amend(id, benign().identifier(PORTAL, portalId));

        awaitStatus(id, "failed");

        assertThat(amendmentStatus(id, 2)).isEqualTo("pending");
        assertThat(transactions(id))
                .hasSize(4)
                .allSatisfy(b -> assertThat(requests(b)).allMatch(r -> r.startsWith("POST ")));
        EhrStub.SERVER.verify(0, getRequestedFor(urlPathEqualTo("/fhir/Observation")));
        Instant now = Instant.now();
        Integer claimed = transaction.execute(
                status -> repository.claim(id + "/amendment-2", "another-instance", now.plusSeconds(60), now));
        assertThat(claimed)
                .as("no instance can claim it before the original is delivered")
                .isZero();

        EhrStub.SERVER.removeStub(outage);
        HttpResponse<String> redriven = post("/QuestionnaireResponse/" + id + "/$redeliver", null, "");
        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);

        awaitAmendment(id, 2, "delivered");
        List<Bundle> sent = transactions(id);
        assertThat(sent).hasSize(6);
        assertThat(requests(sent.get(4))).allMatch(r -> r.startsWith("POST "));
        assertThat(requests(sent.get(5))).first().asString().startsWith("PUT QuestionnaireResponse/");
        assertOnePerIdentifier(id);
        assertThat(only("Observation", id, Observation.class)
                        .getValueCodeableConcept()
                        .getCodingFirstRep()
                        .getCode())
                .as("the original went out as the response now stands")
                .isEqualTo("self-care");
        assertThat(only("ServiceRequest", id + MRI, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
    }

    @Test
    void anAnswerLostAfterTheEhrWroteTheAmendmentIsResentWithoutDuplicatingOrLeavingAnything() {
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        awaitStatus(id, "delivered");
        EhrStub.STORE.loseAnswers(1);

        amend(id, benign().identifier(PORTAL, portalId));

        ParametersParameterComponent delivery = awaitAmendment(id, 2, "delivered");
        assertThat(part(delivery, "attempts").primitiveValue()).isEqualTo("2");
        List<Bundle> sent = transactions(id);
        assertThat(sent).hasSize(3);
        assertThat(requests(sent.get(2)))
                .as("the resend updates the versions the lost attempt wrote")
                .containsExactly(requests(sent.get(1)).stream()
                        .map(r -> r.replace("W/\"1\"", "W/\"2\""))
                        .toArray(String[]::new));
        assertThat(delivery.getPart()).noneMatch(p -> p.getName().equals("left"));
        assertOnePerIdentifier(id);
        assertThat(only("Observation", id, Observation.class).getMeta().getVersionId())
                .as("the resend changed nothing")
                .isEqualTo("2");
        assertThat(EhrStub.STORE.all("Provenance")).hasSize(2);
        assertThat(attention.about(id)).isEmpty();
    }

    @Test
    void aStaleVersionIsReadAgainAndSentOnTheNextAttempt() {
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        awaitStatus(id, "delivered");
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .atPriority(1)
                .withRequestBody(WireMock.containing("\"PUT\""))
                .inScenario("stale")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(412))
                .willSetStateTo("read again"));

        amend(id, benign().identifier(PORTAL, portalId));

        ParametersParameterComponent delivery = awaitAmendment(id, 2, "delivered");
        assertThat(part(delivery, "attempts").primitiveValue()).isEqualTo("2");
        EhrStub.SERVER.verify(2, getRequestedFor(urlPathEqualTo("/fhir/Observation")));
        assertThat(only("Observation", id, Observation.class).getMeta().getVersionId())
                .isEqualTo("2");
    }

    @Test
    void whatTheEhrMovedOnIsLeftAsItIsAndTheDeliverySaysSo() {
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));
        awaitStatus(id, "delivered");
        String mri = reference(only("ServiceRequest", id + MRI, ServiceRequest.class));
        String observation = reference(only("Observation", id, Observation.class));
        EhrStub.STORE.change(mri, r -> ((ServiceRequest) r).setStatus(ServiceRequestStatus.COMPLETED));
        EhrStub.STORE.change(observation, r -> ((Observation) r).addNote(new Annotation().setText("Seen in clinic")));

        amend(id, benign().identifier(PORTAL, portalId));

        ParametersParameterComponent delivery = awaitAmendment(id, 2, "delivered");
        Bundle amendment = transactions(id).get(1);
        assertThat(requests(amendment))
                .containsExactly(
                        "PUT " + ehrId("QuestionnaireResponse", portalId) + " W/\"1\"",
                        "PUT " + ehrId("ServiceRequest", id + NEUROLOGY) + " W/\"1\"",
                        "PUT " + ehrId("Communication", id) + " W/\"1\"",
                        "POST Provenance if-none-exist _tag=" + encode(SID + "provenance|" + id + "-2"));
        Provenance provenance = resource(amendment, 3, Provenance.class);
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactly(target(amendment, 1), target(amendment, 2));
        assertThat(provenance.getEntity())
                .extracting(e -> e.getRole().toCode() + " " + e.getWhat().getReference())
                .containsExactlyInAnyOrder(
                        "source " + target(amendment, 0),
                        "revision " + target(amendment, 1),
                        "revision " + target(amendment, 2));
        List<ParametersParameterComponent> left = delivery.getPart().stream()
                .filter(p -> p.getName().equals("left"))
                .toList();
        assertThat(left)
                .extracting(p -> ((Reference) part(p, "local")).getReference() + " "
                        + ((Reference) part(p, "ehr")).getReference())
                .containsExactlyInAnyOrder(
                        "Observation/" + id + " " + observation, "ServiceRequest/" + id + MRI + " " + mri);
        assertThat(left)
                .extracting(p -> part(p, "reason").primitiveValue())
                .anySatisfy(reason -> assertThat(reason).contains("completed this order"))
                .anySatisfy(reason -> assertThat(reason).contains("changed in the EHR"));

        assertThat(only("ServiceRequest", id + MRI, ServiceRequest.class).getStatus())
                .as("the EHR keeps its completed order")
                .isEqualTo(ServiceRequestStatus.COMPLETED);
        Observation kept = only("Observation", id, Observation.class);
        assertThat(kept.getNote()).extracting(Annotation::getText).contains("Seen in clinic");
        assertThat(kept.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("urgent");
        assertThat(only("ServiceRequest", id + NEUROLOGY, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(attention.about(id))
                .singleElement()
                .satisfies(reason -> assertThat(reason)
                        .contains("ServiceRequest/" + id + MRI)
                        .contains("Observation/" + id)
                        .contains("version 2 of the response"));
    }

    private static ChecklistResponses numbness(String portalId) {
        return benign().answer("numbness-tingling", true).identifier(PORTAL, portalId);
    }

    private void amend(String id, ChecklistResponses response) {
        QuestionnaireResponse body = response.build();
        if (body.getStatus() != QuestionnaireResponseStatus.ENTEREDINERROR) {
            body.setStatus(QuestionnaireResponseStatus.AMENDED);
        }
        body.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(body));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private ParametersParameterComponent awaitAmendment(String id, int revision, String status) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> amendment(id, revision),
                        d -> d != null && status.equals(part(d, "status").primitiveValue()));
    }

    private String amendmentStatus(String id, int revision) {
        return part(amendment(id, revision), "status").primitiveValue();
    }

    private ParametersParameterComponent amendment(String id, int revision) {
        return amendment(fhirBase(), id, revision);
    }

    /** The delivery of the amendment to this version of the response, as {@code $delivery-status} gives it. */
    static ParametersParameterComponent amendment(String base, String id, int revision) {
        Parameters status = FhirRequests.deliveryStatus(base, id);
        return status.getParameter().stream()
                .filter(p -> p.getName().equals("delivery"))
                .filter(p -> "amendment".equals(part(p, "batch").primitiveValue()))
                .filter(p -> String.valueOf(revision).equals(part(p, "revision").primitiveValue()))
                .findFirst()
                .orElse(null);
    }

    /** The transactions sent for the submission, in the order the EHR received them. */
    static List<Bundle> transactions(String id) {
        return EhrStub.SERVER.findAll(postRequestedFor(urlEqualTo("/fhir"))).stream()
                .filter(r -> r.getBodyAsString().contains(id))
                .map(r -> EhrStub.FHIR.newJsonParser().parseResource(Bundle.class, r.getBodyAsString()))
                .toList();
    }

    /** Each entry's request: method, url, and If-Match or If-None-Exist. */
    static List<String> requests(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl() + " "
                        + (e.getRequest().hasIfNoneExist()
                                ? "if-none-exist " + e.getRequest().getIfNoneExist()
                                : e.getRequest().getIfMatch()))
                .toList();
    }

    /** Exactly one resource in the EHR for each of the submission's identifiers. */
    static void assertOnePerIdentifier(String id) {
        assertThat(EhrStub.STORE.withIdentifier("Observation", id)).hasSize(1);
        assertThat(EhrStub.STORE.withIdentifier("ServiceRequest", id + NEUROLOGY))
                .hasSize(1);
        assertThat(EhrStub.STORE.withIdentifier("ServiceRequest", id + MRI)).hasSize(1);
        assertThat(EhrStub.STORE.withIdentifier("Communication", id)).hasSize(1);
        assertThat(EhrStub.STORE.all("Device")).hasSize(1);
    }

    static <T extends Resource> T only(String type, String identifier, Class<T> kind) {
        List<Resource> found = EhrStub.STORE.withIdentifier(type, identifier);
        assertThat(found).as(type + " " + identifier).hasSize(1);
        return kind.cast(found.get(0));
    }

    private static String reference(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }

    private static <T extends Resource> T resource(Bundle bundle, int index, Class<T> type) {
        return type.cast(bundle.getEntry().get(index).getResource());
    }

    /** How the other entries reference each entry, by type: its id where it is written at one, else its fullUrl. */
    private static Map<String, String> fullUrls(Bundle bundle) {
        return bundle.getEntry().stream()
                .collect(Collectors.toMap(e -> e.getResource().fhirType(), AmendmentDeliveryIT::target, (a, b) -> a));
    }

    /** How the other entries reference the entry: the id it is written at ({@code PUT Type/id}), else its fullUrl. */
    static String target(Bundle bundle, int index) {
        return target(bundle.getEntry().get(index));
    }

    private static String target(BundleEntryComponent entry) {
        String url = entry.getRequest().getUrl();
        return entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT && !url.contains("?") ? url : entry.getFullUrl();
    }

    /** The id the EHR gave the resource with this identifier value. */
    static String ehrId(String type, String identifier) {
        return reference(only(type, identifier, Resource.class));
    }

    static org.hl7.fhir.r4.model.Type part(ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name))
                .getValue();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What the delivery asked clinicians to look at, by submission. */
    static final class Attention {

        private final List<ResultNeedsAttention> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ResultNeedsAttention event) {
            events.add(event);
        }

        List<String> about(String submissionId) {
            return events.stream()
                    .filter(e -> e.submissionId().equals(submissionId))
                    .map(ResultNeedsAttention::reason)
                    .toList();
        }
    }

    @TestConfiguration
    static class Listening {

        @Bean
        Attention attention() {
            return new Attention();
        }
    }
}
