package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.twitchtriage.testing.TestDatabase;

/** A WireMock server playing the EHR, shared by the delivery tests of one JVM. */
final class EhrStub {

    static final String TRANSACTION = "transaction-response";
    static final String CREATED = "created";
    /** What the EHR holds when it answers from {@link #storing()}. */
    static final EhrStore STORE = new EhrStore();

    static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options()
            .dynamicPort()
            .extensions(new TransactionResponder(), new CreatedResponder(), STORE));
    static final FhirContext FHIR = FhirContext.forR4Cached();

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    private EhrStub() {}

    /** An application with a database of its own, delivering to this EHR with short waits and four attempts. */
    static void deliverQuickly(DynamicPropertyRegistry registry, String database) {
        TestDatabase.configureIsolated(registry, database);
        knowingEveryone();
        // The application reads the CapabilityStatement as it starts, before any test has reset the stub.
        capabilities(EhrProfiles.everything());
        registry.add("ehr.base-url", EhrStub::baseUrl);
        registry.add("ehr.poll-interval", () -> "50ms");
        registry.add("ehr.request-timeout", () -> "1s");
        registry.add("ehr.retry.initial-interval", () -> "50ms");
        registry.add("ehr.retry.max-interval", () -> "200ms");
        registry.add("ehr.retry.max-attempts", () -> "4");
    }

    /**
     * Forgets every stub and request, and is again an EHR that knows every patient and the requester, and whose
     * CapabilityStatement says it takes everything.
     */
    static void reset() {
        SERVER.resetAll();
        STORE.clear();
        knowingEveryone();
        capabilities(EhrProfiles.everything());
    }

    /** The EHR's CapabilityStatement, at {@code GET /fhir/metadata}. */
    static void capabilities(CapabilityStatement statement) {
        SERVER.stubFor(WireMock.get(WireMock.urlEqualTo("/fhir/metadata"))
                .willReturn(WireMock.aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/fhir+json")
                        .withBody(FHIR.newJsonParser().encodeResourceToString(statement))));
    }

    /**
     * The EHR keeps what it is sent in {@link #STORE}: transactions, conditional creates and updates one by one
     * (If-Match honoured), searches by identifier and tag. Other stubs take precedence.
     */
    static void storing() {
        SERVER.stubFor(WireMock.any(WireMock.urlPathMatching("/fhir(/[A-Za-z]+(/[A-Za-z0-9.-]+)?)?"))
                .atPriority(10)
                .willReturn(WireMock.aResponse().withTransformers(EhrStore.NAME)));
    }

    /**
     * The application checks that the EHR has the requester Organization (at start) and the submission's
     * patient (before a delivery); this EHR has them all.
     */
    private static void knowingEveryone() {
        SERVER.stubFor(WireMock.get(WireMock.urlEqualTo("/fhir/Organization/triage-site"))
                .willReturn(WireMock.aResponse().withStatus(200)));
        SERVER.stubFor(WireMock.get(WireMock.urlPathMatching("/fhir/Patient/[^/]+"))
                .willReturn(WireMock.aResponse().withStatus(200)));
    }

    /** What was sent to the EHR: the requests that post, leaving out the reads of its checks. */
    static List<ServeEvent> posts() {
        return SERVER.getAllServeEvents().stream()
                .filter(event -> RequestMethod.POST.equals(event.getRequest().getMethod()))
                .toList();
    }

    static String baseUrl() {
        return "http://localhost:" + SERVER.port() + "/fhir";
    }

    /** Requests to the EHR that carry this submission's id. */
    static List<LoggedRequest> requestsFor(String submissionId) {
        return SERVER.findAll(postRequestedFor(urlPathMatching("/fhir.*")).withRequestBody(containing(submissionId)));
    }

    /** Answers a transaction with a transaction-response naming a new id for every entry. */
    static final class TransactionResponder implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Bundle request = FHIR.newJsonParser()
                    .parseResource(Bundle.class, event.getRequest().getBodyAsString());
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(transactionResponse(request))
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TRANSACTION;
        }
    }

    /** Answers a create with 201 and a Location naming a new id: ehr-{type}-{n}. */
    static final class CreatedResponder implements ResponseDefinitionTransformerV2 {

        private final AtomicInteger next = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String url = event.getRequest().getUrl();
            String type = url.substring(url.lastIndexOf('/') + 1);
            String id = "ehr-" + type.toLowerCase(Locale.ROOT) + "-" + next.incrementAndGet();
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withStatus(201)
                    .withHeader("Location", baseUrl() + "/" + type + "/" + id + "/_history/1")
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return CREATED;
        }
    }

    /** A transaction-response Bundle that gives each entry of {@code request} the location Type/ehr-{n}. */
    static String transactionResponse(Bundle request) {
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        int n = 0;
        for (Bundle.BundleEntryComponent entry : request.getEntry()) {
            response.addEntry()
                    .getResponse()
                    .setStatus("201 Created")
                    .setLocation(entry.getResource().fhirType() + "/ehr-" + n++ + "/_history/1");
        }
        return FHIR.newJsonParser().encodeResourceToString(response);
    }
}
