package org.twitchtriage.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An authorization server for tests: an RSA key made here, its public half served as a JWK set by
 * WireMock, and signed access tokens with whatever claims a test needs, and the issuer's OpenID Connect
 * discovery document. A second key, never published,
 * signs tokens that must be refused.
 */
public final class TestTokens {

    public static final String AUDIENCE = "https://twitch-triage.example.test/fhir";

    private static final RSAKey KEY = generate("test-key-1");
    private static final RSAKey UNPUBLISHED = generate("test-key-1");
    private static WireMockServer server;

    private TestTokens() {}

    /** Starts the JWK set (once per JVM) and points the application's resource server at it. */
    public static void configure(DynamicPropertyRegistry registry) {
        start();
        String jwks = "http://127.0.0.1:" + server.port() + "/jwks";
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> jwks);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
    }

    private static synchronized void start() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            server.stubFor(get(urlEqualTo("/jwks"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(new JWKSet(KEY.toPublicJWK()).toString())));
            String issuer = "http://127.0.0.1:" + server.port() + "/realm";
            server.stubFor(get(urlEqualTo("/realm/.well-known/openid-configuration"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"issuer\":\"" + issuer + "\","
                                    + "\"authorization_endpoint\":\"" + issuer + "/authorize\","
                                    + "\"token_endpoint\":\"" + issuer + "/token\","
                                    + "\"jwks_uri\":\"" + issuer.replace("/realm", "/jwks") + "\","
                                    + "\"token_endpoint_auth_methods_supported\":[\"private_key_jwt\"]}")));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
    }

    /** The test authorization server's issuer, on the JWK set's server. */
    public static String issuer() {
        start();
        return "http://127.0.0.1:" + server.port() + "/realm";
    }

    /** The base URL of the JWK set (and of the provider's endpoints under {@code /realm}). */
    public static String jwkSetUri() {
        return "http://127.0.0.1:" + server.port() + "/jwks";
    }

    /** Makes the provider's token endpoint ({@code {issuer}/token}) answer the next code exchanges with this body. */
    public static void answerTokenRequestsWith(String json) {
        server.stubFor(WireMock.post(urlEqualTo("/realm/token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(json)));
    }

    /**
     * Makes the provider's authorization endpoint ({@code {issuer}/authorize}) sign the browser in at once: it
     * sends it back to the {@code redirect_uri} asked for, with an authorization code and the {@code state} it
     * was given, or another state when {@code tamperState}, as an attacker's crafted link would.
     */
    public static void authorizeRedirectsBack(boolean tamperState) {
        start();
        server.stubFor(WireMock.get(WireMock.urlPathEqualTo("/realm/authorize"))
                .willReturn(aResponse()
                        .withStatus(302)
                        .withHeader(
                                "Location",
                                "{{request.query.redirect_uri}}?code=code-{{randomValue length=12 type='ALPHANUMERIC'}}"
                                        + "&state=" + (tamperState ? "forged-state" : "{{request.query.state}}"))
                        .withTransformers("response-template")));
    }

    /**
     * Makes the provider's token endpoint answer code exchanges, from the browser's origin, with this access token
     * and patient, as a SMART authorization server does.
     */
    public static void answerCodeExchangesWith(String accessToken, String patientId, String scope) {
        start();
        server.stubFor(WireMock.post(urlEqualTo("/realm/token"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Access-Control-Allow-Origin", "*")
                        .withHeader("Cache-Control", "no-store")
                        .withBody("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":300,\"scope\":\"" + scope + "\",\"patient\":\"" + patientId
                                + "\"}")));
    }

    /**
     * An EHR's FHIR server, as far as a SMART app sees it before signing in: its SMART configuration, which sends
     * apps to the test provider's authorization and token endpoints. Returns its FHIR base.
     */
    public static String ehrFhirServer() {
        start();
        String base = "http://127.0.0.1:" + server.port() + "/ehr/fhir";
        server.stubFor(get(urlEqualTo("/ehr/fhir/.well-known/smart-configuration"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Access-Control-Allow-Origin", "*")
                        .withBody("{\"authorization_endpoint\":\"" + issuer() + "/authorize\","
                                + "\"token_endpoint\":\"" + issuer() + "/token\","
                                + "\"code_challenge_methods_supported\":[\"S256\"],"
                                + "\"capabilities\":[\"launch-ehr\",\"launch-standalone\",\"client-public\","
                                + "\"context-ehr-patient\",\"context-standalone-patient\",\"permission-v2\"]}")));
        return base;
    }

    /** The requests the provider received at one of its paths under {@code /realm}, oldest first. */
    public static List<LoggedRequest> requestsTo(String path) {
        return server.findAll(WireMock.anyRequestedFor(WireMock.urlPathEqualTo("/realm/" + path)));
    }

    /** A token with the subject, scopes and further claims given. */
    public static String token(String subject, String scopes, Map<String, Object> claims) {
        Builder builder = new Builder().subject(subject).scopes(scopes);
        claims.forEach(builder::claim);
        return builder.build();
    }

    /** A token for a patient-facing app: {@code patient} claim and the scopes given. */
    public static Builder patient(String patientId, String scopes) {
        return new Builder()
                .subject("portal-user-" + patientId)
                .claim("patient", patientId)
                .scopes(scopes);
    }

    /** A token for a clinician-facing app. */
    public static Builder user(String scopes) {
        return new Builder()
                .subject("clinician-1")
                .claim("fhirUser", "Practitioner/clinician-1")
                .scopes(scopes);
    }

    /** A back-end client's token (client credentials). */
    public static Builder system(String scopes) {
        return new Builder().subject("backend-client").scopes(scopes);
    }

    /** Claims of a token being built. */
    public static final class Builder {

        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(TestTokens.issuer())
                .audience(AUDIENCE)
                .claim("client_id", "test-client")
                .jwtID(UUID.randomUUID().toString());
        private Instant issued = Instant.now();
        private Duration lifetime = Duration.ofMinutes(5);
        private RSAKey key = KEY;

        public Builder subject(String subject) {
            claims.subject(subject);
            return this;
        }

        public Builder scopes(String scopes) {
            claims.claim("scope", scopes);
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Builder audience(String audience) {
            claims.audience(audience);
            return this;
        }

        /** Issued an hour ago, expired ten minutes ago (beyond any clock-skew allowance). */
        public Builder expired() {
            issued = Instant.now().minus(Duration.ofHours(1));
            lifetime = Duration.ofMinutes(50);
            return this;
        }

        /** Signed with a key the authorization server never published. */
        public Builder signedByAnotherKey() {
            key = UNPUBLISHED;
            return this;
        }

        public String build() {
            JWTClaimsSet set = claims.issueTime(Date.from(issued))
                    .expirationTime(Date.from(issued.plus(lifetime)))
                    .build();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    set);
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }
    }

    // --- Further trusted issuers (security.trusted-issuers), each with a key and JWK set of its own

    /** Another authorization server (a portal's, say), its JWK set served by the same WireMock under its name. */
    public static Issuer otherIssuer(String name) {
        return new Issuer(name);
    }

    /** An authorization server other than the primary one, with a signing key of its own. */
    public static final class Issuer {

        private final String name;
        private final RSAKey key;

        private Issuer(String name) {
            start();
            this.name = name;
            this.key = generate(name + "-key");
            server.stubFor(get(urlEqualTo("/" + name + "/jwks"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(new JWKSet(key.toPublicJWK()).toString())));
        }

        public String issuer() {
            return "http://127.0.0.1:" + server.port() + "/" + name;
        }

        public String jwkSetUri() {
            return issuer() + "/jwks";
        }

        /** Makes it the {@code index}th trusted issuer, for the audience and FHIR base given. */
        public void trust(DynamicPropertyRegistry registry, int index, String audience, String fhirBase) {
            String prefix = "security.trusted-issuers[" + index + "].";
            registry.add(prefix + "issuer", this::issuer);
            registry.add(prefix + "jwk-set-uri", this::jwkSetUri);
            registry.add(prefix + "audiences", () -> audience);
            registry.add(prefix + "fhir-base", () -> fhirBase);
        }

        /** A patient-context token from this issuer, for the audience given. */
        public Builder patient(String patientId, String scopes, String audience) {
            Builder builder =
                    TestTokens.patient(patientId, scopes).issuer(issuer()).audience(audience);
            builder.key = key;
            return builder;
        }
    }

    // --- Opaque tokens, checked at a stub RFC 7662 introspection endpoint on the same server

    /** The client id the module authenticates with at the introspection endpoint. */
    public static final String INTROSPECTION_CLIENT = "twitch-triage";

    private static final String INTROSPECTION_SECRET = "introspection-secret";
    private static final String INTROSPECT = "/realm/introspect";

    /**
     * Points the application's opaque-token support at the stub introspection endpoint, which answers
     * {@code {"active":false}} for every token not made by {@link #opaque()}.
     */
    public static void configureIntrospection(DynamicPropertyRegistry registry) {
        start();
        server.stubFor(WireMock.post(urlEqualTo(INTROSPECT))
                .atPriority(10)
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"active\":false}")));
        String base = "http://127.0.0.1:" + server.port();
        registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri", () -> base + INTROSPECT);
        registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id", () -> INTROSPECTION_CLIENT);
        registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-secret", () -> INTROSPECTION_SECRET);
    }

    /** How many times the introspection endpoint was asked about {@code token}. */
    public static int introspections(String token) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(INTROSPECT))
                        .withRequestBody(containing("token=" + token))
                        .build())
                .getCount();
    }

    /** An opaque token, made up and registered with the stub endpoint by {@link Opaque#register()}. */
    public static Opaque opaque() {
        return new Opaque();
    }

    /** An opaque token for a patient-facing app: the answer names the patient and the scopes given. */
    public static Opaque opaquePatient(String patientId, String scopes) {
        return new Opaque()
                .member("sub", "portal-user-" + patientId)
                .member("patient", patientId)
                .member("scope", scopes);
    }

    /** What the introspection endpoint answers about an opaque token being made. */
    public static final class Opaque {

        private final String token = "opaque-" + UUID.randomUUID().toString().replace("-", "");
        private final Map<String, Object> answer = new LinkedHashMap<>();
        private Fault fault;
        private int status = 200;

        private Opaque() {
            answer.put("active", true);
            answer.put("iss", TestTokens.issuer());
            answer.put("client_id", "test-client");
            answer.put("token_type", "Bearer");
            answer.put("iat", Instant.now().getEpochSecond());
            answer.put("exp", Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond());
        }

        public Opaque member(String name, Object value) {
            if (value == null) {
                answer.remove(name);
            } else {
                answer.put(name, value);
            }
            return this;
        }

        /** The endpoint says the token is not active (expired, revoked or never issued): only that. */
        public Opaque inactive() {
            answer.clear();
            answer.put("active", false);
            return this;
        }

        /** The endpoint calls the token active, but its {@code exp} passed ten minutes ago. */
        public Opaque expired() {
            return member("exp", Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        }

        /** The endpoint answers this status instead of an answer. */
        public Opaque failing(int status) {
            this.status = status;
            return this;
        }

        /** The endpoint drops the connection instead of answering. */
        public Opaque unreachable() {
            this.fault = Fault.CONNECTION_RESET_BY_PEER;
            return this;
        }

        /** Registers the answer (only for the module's client credentials) and returns the token. */
        public String register() {
            var response = aResponse();
            if (fault != null) {
                response.withFault(fault);
            } else {
                try {
                    response.withStatus(status)
                            .withHeader("Content-Type", "application/json")
                            .withBody(new ObjectMapper().writeValueAsString(answer));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            server.stubFor(WireMock.post(urlEqualTo(INTROSPECT))
                    .atPriority(1)
                    .withBasicAuth(INTROSPECTION_CLIENT, INTROSPECTION_SECRET)
                    .withRequestBody(containing("token=" + token))
                    .willReturn(response));
            return token;
        }
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
