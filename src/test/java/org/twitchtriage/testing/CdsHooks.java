package org.twitchtriage.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An EHR calling the CDS Hooks service, for tests: requests shaped as the CDS Hooks specification's examples, and
 * the EHR's signed JWTs, with an RSA key made here whose public half WireMock serves as the EHR's JWK set. A
 * second key under the same {@code kid}, never published, signs JWTs that must be refused.
 */
public final class CdsHooks {

    public static final String SERVICE = "twitch-triage-patient-view";
    public static final String BASE_URL = "https://triage.example.test";
    public static final String ISSUER = "https://ehr.example.test";
    public static final String SERVICE_URL = BASE_URL + "/cds-services/" + SERVICE;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RSAKey KEY = generate("ehr-key-1");
    private static final RSAKey UNPUBLISHED = generate("ehr-key-1");
    private static WireMockServer server;

    private CdsHooks() {}

    /** Trusts the test EHR: its issuer, its JWK set, and the module's public base URL the JWTs name. */
    public static void trustTheEhr(DynamicPropertyRegistry registry) {
        start();
        registry.add("cds-hooks.base-url", () -> BASE_URL);
        registry.add("cds-hooks.trusted-issuers[0].issuer", () -> ISSUER);
        registry.add(
                "cds-hooks.trusted-issuers[0].jwk-set-url", () -> "http://127.0.0.1:" + server.port() + "/ehr-jwks");
    }

    private static synchronized void start() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            server.stubFor(get(urlEqualTo("/ehr-jwks"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(new JWKSet(KEY.toPublicJWK()).toString())));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
    }

    /** A patient-view request as the specification's example has it: fhirServer, fhirAuthorization, prefetch. */
    public static ObjectNode patientView(String patientId) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hookInstance", UUID.randomUUID().toString());
        request.put("fhirServer", "https://ehr.example.test/fhir");
        request.put("hook", "patient-view");
        ObjectNode authorization = request.putObject("fhirAuthorization");
        authorization.put("access_token", "an-opaque-fhir-access-token");
        authorization.put("token_type", "Bearer");
        authorization.put("expires_in", 300);
        authorization.put("scope", "user/Patient.read user/Observation.read");
        authorization.put("subject", "cds-service4");
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/example-3");
        context.put("patientId", patientId);
        context.put("encounterId", "example-89284");
        ObjectNode patient = request.putObject("prefetch").putObject("patientToGreet");
        patient.put("resourceType", "Patient");
        patient.put("id", patientId);
        patient.put("active", true);
        return request;
    }

    /** A feedback body with one item on the card. */
    public static ObjectNode feedback(String card, String outcome, String reasonCode, String comment) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("feedback");
        ObjectNode item = items.addObject();
        item.put("card", card);
        item.put("outcome", outcome);
        if (reasonCode != null) {
            ObjectNode reason = item.putObject("overrideReason");
            ObjectNode coding = reason.putObject("reason");
            coding.put("system", "http://twitchtriage.org/fhir/CodeSystem/triage-feedback-reason");
            coding.put("code", reasonCode);
            if (comment != null) {
                reason.put("userComment", comment);
            }
        }
        item.put("outcomeTimestamp", Instant.now().toString());
        return body;
    }

    public static HttpResponse<String> post(int port, String path, String body, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        return FhirRequests.send(request.build());
    }

    public static HttpResponse<String> call(int port, JsonNode body, String jwt) {
        return post(port, "/cds-services/" + SERVICE, body.toString(), jwt);
    }

    public static JsonNode json(HttpResponse<String> response, int status) {
        return ClinicianApi.body(response, status);
    }

    /** The EHR's JWT for a call of the service: right in every respect until a test changes one. */
    public static Jwt jwt() {
        return new Jwt();
    }

    /** A JWT being built. */
    public static final class Jwt {

        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("ehr-client")
                .audience(SERVICE_URL)
                .jwtID(UUID.randomUUID().toString());
        private Instant issued = Instant.now();
        private Duration lifetime = Duration.ofMinutes(5);
        private RSAKey key = KEY;
        private boolean withKid = true;

        public Jwt issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Jwt audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Jwt jti(String jti) {
            claims.jwtID(jti);
            return this;
        }

        /** Issued this long ago, valid for five minutes from then. */
        public Jwt issuedAgo(Duration ago) {
            issued = Instant.now().minus(ago);
            return this;
        }

        public Jwt signedWithAnUnpublishedKey() {
            key = UNPUBLISHED;
            return this;
        }

        public Jwt withoutKid() {
            withKid = false;
            return this;
        }

        public String build() {
            claims.issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(lifetime)));
            JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
            if (withKid) {
                header.keyID(key.getKeyID());
            }
            SignedJWT jwt = new SignedJWT(header.build(), claims.build());
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
