package org.twitchtriage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.MRI;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.NEUROLOGY;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.PORTAL;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.only;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.part;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.delivery.internal.CapabilitiesCheck;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.FhirRequests;
import org.twitchtriage.triage.SummaryDocuments;

/**
 * {@code ehr.mode=auto} against EHRs of each kind, each described by the CapabilityStatement the WireMock EHR
 * serves: the requests sent, references that resolve among what the EHR holds (logical references to what it cannot
 * take), resends that duplicate nothing, and the ledger {@code $delivery-status} keeps.
 */
class EhrProfilesIT extends FhirHttpTest {

    private static final String SID = AmendmentDeliveryIT.SID;
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    @Autowired
    private CapabilitiesCheck capabilities;

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "ehr_profiles");
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    @BeforeEach
    void anEhrThatKeepsWhatItIsSent() {
        EhrStub.reset();
        EhrStub.storing();
    }

    /** The next test class meets an EHR that takes everything. */
    @AfterAll
    static void everythingAgain() {
        EhrStub.reset();
    }

    @Test
    void everythingLikeHapi_oneTransactionOfConditionalCreates() {
        profile(EhrProfiles.everything());
        EhrStub.STORE.loseAnswers(1);
        String portalId = UUID.randomUUID().toString();

        String id = submit(numbness(portalId));

        Parameters status = awaitStatus(id, "delivered");
        assertThat(value(status, "attempts")).isEqualTo("2");
        List<Bundle> sent = transactions();
        assertThat(sent).hasSize(2);
        assertThat(requests(sent.get(0)))
                .containsExactly(
                        "POST Device identifier",
                        "POST QuestionnaireResponse identifier=" + AmendmentDeliveryIT.encode(PORTAL + "|" + portalId),
                        "POST Observation " + observation(id),
                        "POST ServiceRequest identifier",
                        "POST ServiceRequest identifier",
                        "POST Communication identifier",
                        "POST Provenance _tag");
        assertThat(requests(sent.get(1))).as("the resend is the same").isEqualTo(requests(sent.get(0)));
        assertThat(EhrStub.STORE.all("DocumentReference"))
                .as("the EHR takes the structured results: no summary")
                .isEmpty();
        assertOneOfEach(id, Set.of("Device", "QuestionnaireResponse", "Observation", "Communication", "Provenance"));
        assertThat(EhrStub.STORE.all("ServiceRequest")).hasSize(2);
        assertReferencesResolve();
        assertThat(ledger(status, "skipped")).isEmpty();
        assertThat(ledger(status, "ehr-id")).hasSize(7);
    }

    @Test
    void noTransactions_conditionalCreatesOneByOne() {
        profile(EhrProfiles.noTransactions());
        EhrStub.STORE.loseAnswers(1);
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));

        Parameters status = awaitStatus(id, "delivered");

        assertThat(transactions()).isEmpty();
        List<String> writes = writes();
        List<String> once = List.of(
                "POST /fhir/Device identifier",
                "POST /fhir/QuestionnaireResponse identifier=" + AmendmentDeliveryIT.encode(PORTAL + "|" + portalId),
                "POST /fhir/Observation " + observation(id),
                "POST /fhir/ServiceRequest identifier",
                "POST /fhir/ServiceRequest identifier",
                "POST /fhir/Communication identifier",
                "POST /fhir/Provenance _tag");
        assertThat(writes)
                .as("the first write's answer was lost: everything again, as conditional creates")
                .containsExactlyElementsOf(concat(List.of("POST /fhir/Device identifier"), once));
        assertOneOfEach(id, Set.of("Device", "QuestionnaireResponse", "Observation", "Communication", "Provenance"));
        assertReferencesResolve();
        assertThat(ledger(status, "skipped")).isEmpty();
    }

    @Test
    void theLedgerNamesTheResourceTheEhrRefused() {
        profile(EhrProfiles.noTransactions());
        EhrStub.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/fhir/Communication"))
                .atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody("{\"resourceType\":\"OperationOutcome\"}")));
        String id = submit(numbness(UUID.randomUUID().toString()));

        Parameters status = awaitStatus(id, "failed");

        assertThat(ledger(status, "failed")).singleElement().satisfies(p -> {
            assertThat(((Reference) part(p, "local")).getReference()).isEqualTo("Communication/" + id);
            assertThat(part(p, "reason").primitiveValue()).contains("400");
        });
        assertThat(writes()).last().isEqualTo("POST /fhir/Communication identifier");
    }

    @Test
    void noResponseProvenanceOrDeviceCreate_theRestWithLogicalReferencesAndTheSummary() {
        profile(EhrProfiles.noResponseProvenanceOrDevice());
        EhrStub.STORE.loseAnswers(1);
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));

        Parameters status = awaitStatus(id, "delivered");

        List<Bundle> sent = transactions();
        assertThat(sent).hasSize(2);
        assertThat(requests(sent.get(1)))
                .containsExactly(
                        "POST Observation " + observation(id),
                        "POST ServiceRequest identifier",
                        "POST ServiceRequest identifier",
                        "POST Communication identifier",
                        "POST DocumentReference " + summary(id));
        assertThat(EhrStub.STORE.all("QuestionnaireResponse")).isEmpty();
        assertThat(EhrStub.STORE.all("Device")).isEmpty();
        assertThat(EhrStub.STORE.all("Provenance")).isEmpty();
        Observation observation = only("Observation", id, Observation.class);
        Reference derivedFrom = observation.getDerivedFromFirstRep();
        assertThat(derivedFrom.hasReference()).isFalse();
        assertThat(derivedFrom.getType()).isEqualTo("QuestionnaireResponse");
        assertThat(derivedFrom.getIdentifier().getValue()).isEqualTo(portalId);
        assertThat(observation.getDevice().hasReference()).isFalse();
        assertThat(observation.getDevice().getIdentifier().hasValue()).isTrue();
        ServiceRequest order = only("ServiceRequest", id + NEUROLOGY, ServiceRequest.class);
        assertThat(order.getReasonReferenceFirstRep().getReference())
                .isEqualTo(observation.getIdElement().toUnqualifiedVersionless().getValue());
        DocumentReference document = only("DocumentReference", id, DocumentReference.class);
        assertThat(document.getStatus()).isEqualTo(DocumentReferenceStatus.CURRENT);
        assertThat(document.getSubject().getReference()).isEqualTo("Patient/synthetic-1");
        assertThat(document.getAuthorFirstRep().getReference()).isEqualTo("Organization/triage-site");
        assertThat(document.getType().getCodingFirstRep().getCode()).isEqualTo("34109-9");
        assertThat(new String(document.getContent().get(1).getAttachment().getData(), StandardCharsets.UTF_8))
                .contains("Level: Urgent");
        assertReferencesResolve();
        assertThat(ledger(status, "skipped"))
                .extracting(p -> ((Reference) AmendmentDeliveryIT.part(p, "local")).getReference())
                .containsExactlyInAnyOrder("QuestionnaireResponse/" + id, "Provenance/" + id, device());
        assertThat(ledger(status, "skipped"))
                .extracting(p -> AmendmentDeliveryIT.part(p, "reason").primitiveValue())
                .allSatisfy(reason -> assertThat(reason).contains("cannot create"));
    }

    @Test
    void documentsAndObservationsOnly_andACorrectionThenARetractionSupersedeTheSummary() {
        profile(EhrProfiles.documentsAndObservationsOnly());
        String portalId = UUID.randomUUID().toString();
        String id = submit(numbness(portalId));

        Parameters status = awaitStatus(id, "delivered");

        assertThat(writes())
                .containsExactly(
                        "POST /fhir/Observation " + observation(id), "POST /fhir/DocumentReference " + summary(id));
        assertThat(ledger(status, "skipped")).hasSize(6);
        assertReferencesResolve();
        String observation = reference(only("Observation", id, Observation.class));
        String first = reference(only("DocumentReference", id, DocumentReference.class));

        int before = writes().size();
        amend(id, benign().identifier(PORTAL, portalId).status(QuestionnaireResponseStatus.AMENDED));
        ParametersParameterComponent correction = awaitAmendment(id, 2);

        assertThat(writes().subList(before, writes().size()))
                .containsExactly(
                        "PUT /fhir/" + observation + " W/\"1\"",
                        "POST /fhir/DocumentReference " + summary(id + "-2"),
                        "PUT /fhir/" + first + " W/\"1\"");
        assertThat(only("Observation", id, Observation.class).getStatus())
                .isEqualTo(Observation.ObservationStatus.AMENDED);
        DocumentReference replaced = only("DocumentReference", id, DocumentReference.class);
        assertThat(replaced.getStatus()).isEqualTo(DocumentReferenceStatus.SUPERSEDED);
        DocumentReference second = only("DocumentReference", id + "-2", DocumentReference.class);
        assertThat(second.getStatus()).isEqualTo(DocumentReferenceStatus.CURRENT);
        assertThat(second.getRelatesToFirstRep().getCode())
                .isEqualTo(DocumentReference.DocumentRelationshipType.REPLACES);
        assertThat(second.getRelatesToFirstRep().getTarget().getReference()).isEqualTo(first);
        assertThat(new String(second.getContent().get(1).getAttachment().getData(), StandardCharsets.UTF_8))
                .contains("Level: Self-care");
        assertThat(correction.getPart())
                .filteredOn(p -> p.getName().equals("skipped"))
                .extracting(p -> ((Reference) part(p, "local")).getReference())
                .contains("QuestionnaireResponse/" + id, "ServiceRequest/" + id + NEUROLOGY)
                .doesNotHaveDuplicates();
        assertReferencesResolve();

        int corrected = writes().size();
        amend(id, benign().identifier(PORTAL, portalId).status(QuestionnaireResponseStatus.ENTEREDINERROR));
        awaitAmendment(id, 3);

        String secondId = reference(second);
        assertThat(writes().subList(corrected, writes().size()))
                .containsExactly("PUT /fhir/" + observation + " W/\"2\"", "PUT /fhir/" + secondId + " W/\"1\"");
        assertThat(only("DocumentReference", id + "-2", DocumentReference.class).getStatus())
                .as("the latest summary is withdrawn; no new one")
                .isEqualTo(DocumentReferenceStatus.ENTEREDINERROR);
        assertThat(EhrStub.STORE.all("DocumentReference")).hasSize(2);
    }

    @Test
    void noConditionalCreateButUpdateAsCreate_eachWrittenAtTheModulesOwnId() {
        profile(EhrProfiles.noConditionalCreate(true));
        EhrStub.STORE.loseAnswers(1);
        String id = submit(numbness(UUID.randomUUID().toString()));

        Parameters status = awaitStatus(id, "delivered");

        List<Bundle> sent = transactions();
        assertThat(sent).hasSize(2);
        Map<String, String> ehrIds = ehrIds(status);
        assertThat(ehrIds).hasSize(7).allSatisfy((local, ehr) -> assertThat(ehr).isEqualTo(local));
        assertThat(requests(sent.get(0)))
                .containsExactlyElementsOf(
                        ehrIds.keySet().stream().map(local -> "PUT " + local).toList());
        assertThat(requests(sent.get(1))).isEqualTo(requests(sent.get(0)));
        assertOneOfEach(id, Set.of("Device", "QuestionnaireResponse", "Observation", "Communication", "Provenance"));
        assertThat(EhrStub.STORE
                        .read("Observation/" + id)
                        .orElseThrow()
                        .getMeta()
                        .getVersionId())
                .as("the resend wrote the same again: no new version")
                .isEqualTo("1");
        assertReferencesResolve();
    }

    @Test
    void noConditionalCreateNorUpdateAsCreate_searchesThenCreates() {
        profile(EhrProfiles.noConditionalCreate(false));
        EhrStub.STORE.loseAnswers(1);
        String id = submit(numbness(UUID.randomUUID().toString()));

        Parameters status = awaitStatus(id, "delivered");

        List<Bundle> sent = transactions();
        assertThat(sent)
                .as("the resend finds everything the lost attempt wrote")
                .hasSize(1);
        assertThat(requests(sent.get(0)))
                .containsExactly(
                        "POST Device",
                        "POST QuestionnaireResponse",
                        "POST Observation",
                        "POST ServiceRequest",
                        "POST ServiceRequest",
                        "POST Communication",
                        "POST Provenance");
        List<String> searches = EhrStub.SERVER.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r ->
                        RequestMethod.GET.equals(r.getMethod()) && r.getUrl().contains("?"))
                .map(r -> r.getUrl().substring(0, r.getUrl().indexOf('?')))
                .toList();
        assertThat(searches).as("each type searched on each attempt").hasSize(14);
        assertOneOfEach(id, Set.of("Device", "QuestionnaireResponse", "Observation", "Communication", "Provenance"));
        assertThat(ehrIds(status)).hasSize(7);
        assertReferencesResolve();
    }

    @Test
    void capabilitiesShowInHealthAndInTheOperation() throws Exception {
        profile(EhrProfiles.documentsAndObservationsOnly());

        Parameters found = parse(Parameters.class, get("/$ehr-capabilities"));

        assertThat(value(found, "delivery-enabled")).isEqualTo("true");
        assertThat(value(found, "mode")).isEqualTo("auto");
        assertThat(value(found, "read")).isEqualTo("true");
        assertThat(value(found, "software")).isEqualTo("Test EHR 1");
        assertThat(value(found, "transaction")).isEqualTo("false");
        assertThat(value(found, "deliveries")).isEqualTo("one request at a time");
        assertThat(value(found, "document")).isEqualTo("true");
        Map<String, String> writes = found.getParameter().stream()
                .filter(p -> p.getName().equals("type"))
                .collect(Collectors.toMap(
                        p -> part(p, "name").primitiveValue(),
                        p -> part(p, "write").primitiveValue()));
        assertThat(writes)
                .containsEntry("Observation", "conditional create")
                .containsEntry("DocumentReference", "conditional create")
                .containsEntry("QuestionnaireResponse", "not sent: the EHR cannot create it");

        HttpResponse<String> health =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                        .build());
        JsonNode details = JSON_MAPPER
                .readTree(health.body())
                .path("components")
                .path("ehr")
                .path("details");
        JsonNode shown = details.path("capabilities");
        assertThat(shown.path("read").asBoolean()).as(details.toString()).isTrue();
        assertThat(shown.path("deliveries").asText()).isEqualTo("one request at a time");
        assertThat(shown.path("types").path("Provenance").asText()).isEqualTo("not sent: the EHR cannot create it");
        assertThat(shown.path("types").path("Observation").asText()).isEqualTo("conditional create");

        profile(EhrProfiles.everything());
        Parameters again = parse(Parameters.class, get("/$ehr-capabilities"));
        assertThat(value(again, "transaction")).as("read again on demand").isEqualTo("true");
    }

    @Test
    void whileTheStatementCannotBeReadDeliveriesWaitAndGoOnceItCan() {
        EhrStub.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/fhir/metadata"))
                .atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(503)));
        capabilities.forget();
        String id = submit(numbness(UUID.randomUUID().toString()));

        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> writes().isEmpty());
        Parameters waiting = FhirRequests.deliveryStatus(fhirBase(), id);
        assertThat(value(waiting, "status")).isEqualTo("pending");
        assertThat(value(waiting, "attempts"))
                .as("nothing tried, nothing counted")
                .isEqualTo("0");

        EhrStub.SERVER.resetAll();
        EhrStub.reset();
        EhrStub.storing();
        awaitStatus(id, "delivered");
        assertThat(transactions()).hasSize(1);
    }

    private static String observation(String id) {
        return "identifier=" + AmendmentDeliveryIT.encode(SID + "triage-observation|" + id);
    }

    private static String summary(String documentId) {
        return "identifier=" + AmendmentDeliveryIT.encode(SummaryDocuments.IDENTIFIER_SYSTEM + "|" + documentId);
    }

    private void profile(CapabilityStatement statement) {
        EhrStub.capabilities(statement);
        capabilities.forget();
    }

    private static ChecklistResponses numbness(String portalId) {
        return benign().answer("numbness-tingling", true).identifier(PORTAL, portalId);
    }

    private void amend(String id, ChecklistResponses response) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(body));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private ParametersParameterComponent awaitAmendment(String id, int revision) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> AmendmentDeliveryIT.amendment(fhirBase(), id, revision),
                        d -> d != null && "delivered".equals(part(d, "status").primitiveValue()));
    }

    /** The transactions the EHR received, oldest first. */
    private static List<Bundle> transactions() {
        List<Bundle> sent = new ArrayList<>(EhrStub.SERVER.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r ->
                        RequestMethod.POST.equals(r.getMethod()) && r.getUrl().equals("/fhir"))
                .map(r -> EhrStub.FHIR.newJsonParser().parseResource(Bundle.class, r.getBodyAsString()))
                .toList());
        Collections.reverse(sent);
        return sent;
    }

    /** Each entry: method, url, and the kind of condition (with the condition itself where it says which). */
    private static List<String> requests(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()
                        + condition(
                                e.getRequest().getIfNoneExist(), e.getRequest().getIfMatch()))
                .toList();
    }

    /** The requests that wrote to the EHR one by one, oldest first: method, path, condition. */
    private static List<String> writes() {
        List<LoggedRequest> written = new ArrayList<>(EhrStub.SERVER.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r -> !RequestMethod.GET.equals(r.getMethod()))
                .filter(r -> !r.getUrl().equals("/fhir"))
                .toList());
        Collections.reverse(written);
        return written.stream()
                .map(r -> r.getMethod().getName() + " " + r.getUrl()
                        + condition(
                                r.containsHeader("If-None-Exist") ? r.getHeader("If-None-Exist") : null,
                                r.containsHeader("If-Match") ? r.getHeader("If-Match") : null))
                .toList();
    }

    /**
     * " identifier" or " _tag" for a conditional create (with the condition when it names the submission's
     * response or Observation or summary, whose identifiers a test knows), " W/\"n\"" for If-Match.
     */
    private static String condition(String ifNoneExist, String ifMatch) {
        if (ifNoneExist != null) {
            String kind = ifNoneExist.substring(0, ifNoneExist.indexOf('='));
            boolean named = ifNoneExist.contains(AmendmentDeliveryIT.encode(PORTAL))
                    || ifNoneExist.contains("triage-observation")
                    || ifNoneExist.contains("triage-summary");
            return " " + (named ? ifNoneExist : kind);
        }
        return ifMatch == null ? "" : " " + ifMatch;
    }

    /** One resource of each type in the EHR, and nothing with the submission's id twice. */
    private static void assertOneOfEach(String id, Set<String> types) {
        for (String type : types) {
            assertThat(EhrStub.STORE.all(type)).as(type).hasSize(1);
        }
        assertThat(EhrStub.STORE.withIdentifier("Observation", id)).hasSize(1);
        assertThat(EhrStub.STORE.withIdentifier("ServiceRequest", id + NEUROLOGY))
                .hasSize(1);
        assertThat(EhrStub.STORE.withIdentifier("ServiceRequest", id + MRI)).hasSize(1);
    }

    /**
     * Every literal reference of every resource the EHR holds points at a resource it holds, or at the Patient or
     * the requester Organization, which it has.
     */
    private static void assertReferencesResolve() {
        for (String type : EhrProfiles.TYPES) {
            for (Resource resource : EhrStub.STORE.all(type)) {
                for (Reference reference :
                        EhrStub.FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                    if (!reference.hasReference()) {
                        assertThat(reference.getIdentifier().hasValue())
                                .as("a reference without a target in %s is logical", resource.getId())
                                .isTrue();
                        continue;
                    }
                    String target = reference.getReference();
                    if (target.startsWith("Patient/") || target.startsWith("Organization/")) {
                        continue;
                    }
                    assertThat(EhrStub.STORE.read(target))
                            .as("%s in %s", target, resource.getId())
                            .isPresent();
                }
            }
        }
    }

    private static String reference(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }

    /** The module's Device, as the ledger names it. */
    private static String device() {
        return "Device/twitch-triage";
    }

    private static List<ParametersParameterComponent> ledger(Parameters status, String name) {
        return status.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .toList();
    }

    private static Map<String, String> ehrIds(Parameters status) {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        ledger(status, "ehr-id")
                .forEach(p -> ids.put(
                        ((Reference) part(p, "local")).getReference(), ((Reference) part(p, "ehr")).getReference()));
        return ids;
    }

    private static String value(Parameters parameters, String name) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name))
                .getValue()
                .primitiveValue();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
