package org.twitchtriage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.MRI;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.NEUROLOGY;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.PORTAL;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.SID;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.ehrId;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.encode;
import static org.twitchtriage.delivery.AmendmentDeliveryIT.only;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;

/** Individual mode: a correction reaches the EHR as the same updates by the EHR's ids, one request each, in order. */
class IndividualAmendmentIT extends FhirHttpTest {

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "individual_amendment");
        registry.add("ehr.mode", () -> "individual");
    }

    @Test
    void sendsTheSameUpdatesOneByOneWithIfMatch() {
        EhrStub.reset();
        EhrStub.storing();
        String portalId = UUID.randomUUID().toString();
        String id = submit(benign().answer("numbness-tingling", true).identifier(PORTAL, portalId));
        awaitStatus(id, "delivered");
        int before = writes().size();

        QuestionnaireResponse amended = benign().identifier(PORTAL, portalId)
                .status(QuestionnaireResponseStatus.AMENDED)
                .build();
        amended.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(amended));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> AmendmentDeliveryIT.amendment(fhirBase(), id, 2),
                        d -> d != null
                                && "delivered"
                                        .equals(AmendmentDeliveryIT.part(d, "status")
                                                .primitiveValue()));
        List<LoggedRequest> sent = writes().subList(before, writes().size());
        assertThat(sent)
                .extracting(r -> r.getMethod().getName() + " " + r.getUrl() + " "
                        + (r.containsHeader("If-None-Exist")
                                ? "if-none-exist " + r.getHeader("If-None-Exist")
                                : r.getHeader("If-Match")))
                .containsExactly(
                        "PUT /fhir/" + ehrId("QuestionnaireResponse", portalId) + " W/\"1\"",
                        "PUT /fhir/" + ehrId("Observation", id) + " W/\"1\"",
                        "PUT /fhir/" + ehrId("ServiceRequest", id + NEUROLOGY) + " W/\"1\"",
                        "PUT /fhir/" + ehrId("ServiceRequest", id + MRI) + " W/\"1\"",
                        "PUT /fhir/" + ehrId("Communication", id) + " W/\"1\"",
                        "POST /fhir/Provenance if-none-exist _tag=" + encode(SID + "provenance|" + id + "-2"));
        String observation = only("Observation", id, Observation.class)
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
        Provenance provenance = EhrStub.FHIR
                .newJsonParser()
                .parseResource(Provenance.class, sent.get(5).getBodyAsString());
        assertThat(provenance.getTarget()).extracting(Reference::getReference).contains(observation);
        assertThat(sent.get(5).getBodyAsString()).doesNotContain("_history");

        AmendmentDeliveryIT.assertOnePerIdentifier(id);
        assertThat(only("Observation", id, Observation.class)
                        .getValueCodeableConcept()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("self-care");
        assertThat(only("ServiceRequest", id + NEUROLOGY, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(only("ServiceRequest", id + MRI, ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequestStatus.REVOKED);
    }

    /** The requests that write to the EHR, oldest first. */
    private static List<LoggedRequest> writes() {
        List<LoggedRequest> written = new ArrayList<>(EhrStub.SERVER.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r -> !RequestMethod.GET.equals(r.getMethod()))
                .toList());
        Collections.reverse(written); // WireMock lists the newest first
        return written;
    }
}
