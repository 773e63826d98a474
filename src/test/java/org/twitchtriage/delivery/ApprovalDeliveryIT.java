package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.body;
import static org.twitchtriage.testing.ClinicianApi.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.FhirHttpTest;

/**
 * With triage.intent=proposal: a clinician's approval turns each proposed ServiceRequest into an order based
 * on it, and those orders reach the EHR (WireMock) through the outbox in a transaction of their own.
 */
class ApprovalDeliveryIT extends FhirHttpTest {

    private ClinicianApi api;

    @DynamicPropertySource
    static void ehr(DynamicPropertyRegistry registry) {
        EhrStub.deliverQuickly(registry, "approval");
        registry.add("triage.intent", () -> "proposal");
    }

    @BeforeEach
    void anEhrThatAcceptsEverything() {
        api = new ClinicianApi(port);
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
    }

    @Test
    void approvedOrdersAreBasedOnTheProposalsAndDeliveredInATransactionOfTheirOwn() {
        String id = submit(benign().answer("numbness-tingling", true));
        awaitDelivery(id, "triage");
        String referral = "ServiceRequest/" + id + "-183521007";
        String mri = "ServiceRequest/" + id + "-306144006";

        JsonNode approved = body(api.post("/results/" + id + "/approve"), 201);

        assertThat(texts(approved.get("orders"), "reference"))
                .containsExactlyInAnyOrder(referral + "-approved", mri + "-approved");
        assertThat(texts(approved.get("orders"), "intent")).containsOnly("order");
        assertThat(texts(approved.get("orders"), "basedOn")).containsExactlyInAnyOrder(referral, mri);
        ServiceRequest order = parse(ServiceRequest.class, get("/" + referral + "-approved"));
        assertThat(order.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(order.getText().getDivAsString()).contains("<th>Intent</th><td>order</td>");
        assertThat(order.getBasedOnFirstRep().getReference()).isEqualTo(referral);
        assertThat(order.getIdentifierFirstRep().getValue()).isEqualTo(id + "-183521007-approved");
        assertThat(order.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(order.getNoteFirstRep().getAuthorStringType().getValue()).isEqualTo("development");

        awaitDelivery(id, "approval");
        List<LoggedRequest> requests = EhrStub.requestsFor(id);
        assertThat(requests).hasSize(2);
        Bundle sent = EhrStub.FHIR
                .newJsonParser()
                .parseResource(Bundle.class, requests.get(1).getBodyAsString());
        assertThat(sent.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly(
                        "QuestionnaireResponse",
                        "Observation",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest",
                        "ServiceRequest");
        Map<String, BundleEntryComponent> byIdentifier = sent.getEntry().stream()
                .filter(e -> e.getResource() instanceof ServiceRequest)
                .collect(Collectors.toMap(
                        e -> ((ServiceRequest) e.getResource())
                                .getIdentifierFirstRep()
                                .getValue(),
                        e -> e));
        BundleEntryComponent proposal = byIdentifier.get(id + "-183521007");
        BundleEntryComponent sentOrder = byIdentifier.get(id + "-183521007-approved");
        ServiceRequest sentRequest = (ServiceRequest) sentOrder.getResource();
        assertThat(sentRequest.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(sentRequest.getBasedOnFirstRep().getReference()).isEqualTo(proposal.getFullUrl());
        assertThat(sentOrder.getRequest().getIfNoneExist())
                .contains("approved-order")
                .contains("-approved");
        assertThat(((ServiceRequest) proposal.getResource()).getIntent())
                .isEqualTo(ServiceRequest.ServiceRequestIntent.PROPOSAL);
        assertThat(proposal.getRequest().getIfNoneExist()).contains("triage-order");
    }

    @Test
    void aFailedApprovalDeliveryIsListedAndReDriven() {
        String id = submit(benign().answer("numbness-tingling", true));
        awaitDelivery(id, "triage");
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .atPriority(1)
                .withRequestBody(WireMock.containing("-approved"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                                + "\"code\":\"invalid\",\"diagnostics\":\"Unknown performer\"}]}")));

        body(api.post("/results/" + id + "/approve"), 201);
        awaitStatus(id, "approval", "failed");

        Parameters failed = parse(Parameters.class, get("/$failed-deliveries"));
        assertThat(failed.getParameter().stream()
                        .filter(p -> p.getName().equals("delivery"))
                        .filter(p -> ("QuestionnaireResponse/" + id)
                                .equals(((Reference) part(p, "submission")).getReference()))
                        .map(p -> part(p, "batch").primitiveValue()))
                .containsExactly("approval");
        Parameters status = parse(Parameters.class, get("/QuestionnaireResponse/" + id + "/$delivery-status"));
        assertThat(status.getParameter("batch").getValue().primitiveValue()).isEqualTo("triage");
        assertThat(status.getParameter("status").getValue().primitiveValue()).isEqualTo("delivered");
        Parameters.ParametersParameterComponent approval = status.getParameter("delivery");
        assertThat(part(approval, "batch").primitiveValue()).isEqualTo("approval");
        assertThat(part(approval, "status").primitiveValue()).isEqualTo("failed");

        anEhrThatAcceptsEverything();
        HttpResponse<String> redriven = redeliver(id);
        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
        Parameters again = parse(Parameters.class, redriven);
        assertThat(again.getParameter("batch").getValue().primitiveValue()).isEqualTo("approval");
        assertThat(again.getParameter("status").getValue().primitiveValue()).isEqualTo("pending");
        awaitDelivery(id, "approval");
        assertThat(redeliver(id).statusCode()).as("nothing has failed any more").isEqualTo(412);
    }

    private HttpResponse<String> redeliver(String id) {
        return post("/QuestionnaireResponse/" + id + "/$redeliver", JSON, "{\"resourceType\":\"Parameters\"}");
    }

    private static Type part(Parameters.ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    @Test
    void approvingTwiceCreatesNothingNew() {
        String id = submit(benign().answer("weakness", true).answer("weakness-progressive", true));

        JsonNode first = body(api.post("/results/" + id + "/approve"), 201);
        JsonNode again = body(api.post("/results/" + id + "/approve"), 200);

        assertThat(texts(again.get("orders"), "reference"))
                .containsExactlyInAnyOrderElementsOf(texts(first.get("orders"), "reference"));
        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject(
                        "select count(*) from triage_resource where submission_id = ?" + " and origin = 'approval'",
                        Integer.class,
                        id))
                .isEqualTo(first.get("orders").size());
        assertThat(jdbc.queryForObject("select count(*) from delivery where submission_id = ?", Integer.class, id))
                .isEqualTo(2);
        assertThat(api.result(id).get("approval").get("possible").asBoolean()).isFalse();
    }

    @Test
    void aResultWithoutProposalsHasNothingToApprove() {
        String id = submit(benign());
        assertThat(api.result(id).get("approval").get("possible").asBoolean()).isFalse();

        JsonNode problem = body(api.post("/results/" + id + "/approve"), 409);

        assertThat(problem.get("detail").asText()).contains("no proposed orders");
        assertThat(jdbc.queryForObject("select count(*) from delivery where submission_id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    @Test
    void anUnknownResultCannotBeApproved() {
        body(api.post("/results/no-such-result/approve"), 404);
    }

    private void awaitDelivery(String id, String batch) {
        awaitStatus(id, batch, "delivered");
    }

    private void awaitStatus(String id, String batch, String status) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (JsonNode delivery : api.result(id).get("deliveries")) {
                        if (batch.equals(delivery.get("batch").asText())) {
                            return status.equals(delivery.get("status").asText());
                        }
                    }
                    return false;
                });
    }
}
