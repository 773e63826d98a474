package org.twitchtriage.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.twitchtriage.testing.MutableClock;

/**
 * SMART Backend Services against WireMock as the EHR's authorization server: the client assertion as the token
 * endpoint receives it (signature checked with the public key), token reuse and renewal, discovery, failures,
 * and the settings. Keys are generated for the test run and written to a temporary directory.
 */
class SmartBackendAuthorizationTest {

    private static final String CLIENT_ID = "twitch-triage-test-client";
    private static final String KEY_ID = "test-key-1";
    private static final String TOKEN_PATH = "/auth/token";
    private static final String TOKENS = "numbered-tokens";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final NumberedTokens NUMBERED_TOKENS = new NumberedTokens();
    private static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(NUMBERED_TOKENS));
    private static KeyPair rsa;
    private static KeyPair ec;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void start() throws GeneralSecurityException {
        SERVER.start();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp384r1"));
        ec = ecGenerator.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void reset() {
        SERVER.resetAll();
        NUMBERED_TOKENS.next.set(0);
        tokensExpiringIn(300);
    }

    @Nested
    class ClientAssertion {

        @Test
        void rs384AssertionFromPemIsSignedByTheKeyAndCarriesTheClaims() throws Exception {
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));
            Instant before = Instant.now();

            assertThat(authorization.header(false)).contains("Bearer token-1");

            Instant after = Instant.now();
            LoggedRequest request = single(tokenRequests());
            assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = form(request);
            assertThat(form)
                    .containsEntry("grant_type", "client_credentials")
                    .containsEntry("scope", EhrProperties.Auth.DEFAULT_SCOPES)
                    .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .containsKey("client_assertion");
            Jwt jwt = Jwt.decode(form.get("client_assertion"));
            assertThat(jwt.verify("SHA384withRSA", rsa.getPublic()))
                    .as("RS384 signature")
                    .isTrue();
            assertThat(jwt.header().get("alg").asText()).isEqualTo("RS384");
            assertThat(jwt.header().get("kid").asText()).isEqualTo(KEY_ID);
            assertThat(jwt.header().get("typ").asText()).isEqualTo("JWT");
            assertClaims(jwt, tokenEndpoint(), before, after);
        }

        @Test
        void es384AssertionFromJwkIsSignedByTheKeyAndTakesTheJwksKid() throws Exception {
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.ES384, jwk(ec, "ec-jwk-kid"), null, tokenEndpoint()));
            Instant before = Instant.now();

            assertThat(authorization.header(false)).contains("Bearer token-1");

            Instant after = Instant.now();
            Jwt jwt = Jwt.decode(form(single(tokenRequests())).get("client_assertion"));
            assertThat(jwt.signature()).as("JWS ES384 signature is R || S").hasSize(96);
            assertThat(jwt.verify("SHA384withECDSAinP1363Format", ec.getPublic()))
                    .as("ES384 signature")
                    .isTrue();
            assertThat(jwt.header().get("alg").asText()).isEqualTo("ES384");
            assertThat(jwt.header().get("kid").asText()).isEqualTo("ec-jwk-kid");
            assertClaims(jwt, tokenEndpoint(), before, after);
        }

        @Test
        void es384AssertionFromPem() throws Exception {
            authorization(auth(SmartBackendAlgorithm.ES384, pem(ec), KEY_ID, tokenEndpoint()))
                    .header(false);

            Jwt jwt = Jwt.decode(form(single(tokenRequests())).get("client_assertion"));
            assertThat(jwt.verify("SHA384withECDSAinP1363Format", ec.getPublic()))
                    .isTrue();
            assertThat(jwt.header().get("kid").asText()).isEqualTo(KEY_ID);
        }

        @Test
        void rs384AssertionFromJwkSetWithAConfiguredKid() throws Exception {
            Path file = dir.resolve("keys.json");
            Files.writeString(
                    file,
                    "{\"keys\":[" + Files.readString(jwk(ec, "other")) + "," + Files.readString(jwk(rsa, "rsa-kid"))
                            + "]}");

            authorization(auth(SmartBackendAlgorithm.RS384, file, "rsa-kid", tokenEndpoint()))
                    .header(false);

            Jwt jwt = Jwt.decode(form(single(tokenRequests())).get("client_assertion"));
            assertThat(jwt.verify("SHA384withRSA", rsa.getPublic())).isTrue();
            assertThat(jwt.header().get("kid").asText()).isEqualTo("rsa-kid");
        }

        @Test
        void es384AssertionFromTheOnePrivateKeyOfAJwkSet() throws Exception {
            ECPublicKey publicKey = (ECPublicKey) ec.getPublic();
            Path file = dir.resolve("keys.json");
            Files.writeString(
                    file,
                    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"public-only\",\"x\":\""
                            + b64(publicKey.getW().getAffineX(), 48) + "\",\"y\":\""
                            + b64(publicKey.getW().getAffineY(), 48) + "\"}," + Files.readString(jwk(ec, "ec-kid"))
                            + "]}");

            authorization(auth(SmartBackendAlgorithm.ES384, file, null, tokenEndpoint()))
                    .header(false);

            Jwt jwt = Jwt.decode(form(single(tokenRequests())).get("client_assertion"));
            assertThat(jwt.verify("SHA384withECDSAinP1363Format", ec.getPublic()))
                    .isTrue();
            assertThat(jwt.header().get("kid").asText()).isEqualTo("ec-kid");
        }

        @Test
        void everyAssertionHasItsOwnJti() throws Exception {
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            authorization.header(false);
            authorization.header(true);
            authorization.header(true);

            List<String> jtis = tokenRequests().stream()
                    .map(request -> Jwt.decode(form(request).get("client_assertion"))
                            .claims()
                            .get("jti")
                            .asText())
                    .toList();
            assertThat(jtis)
                    .hasSize(3)
                    .doesNotHaveDuplicates()
                    .allSatisfy(jti -> assertThat(jti).isNotBlank());
        }

        @Test
        void configuredScopesAreAskedFor() throws Exception {
            EhrProperties.Auth auth = new EhrProperties.Auth(
                    EhrProperties.AuthType.SMART_BACKEND,
                    null,
                    null,
                    null,
                    CLIENT_ID,
                    tokenEndpoint(),
                    pem(rsa),
                    KEY_ID,
                    SmartBackendAlgorithm.RS384,
                    "  system/Observation.write\n system/Observation.read ",
                    Duration.ofSeconds(60));

            authorization(auth).header(false);

            assertThat(form(single(tokenRequests())))
                    .containsEntry("scope", "system/Observation.write system/Observation.read");
        }

        private void assertClaims(Jwt jwt, URI audience, Instant before, Instant after) {
            JsonNode claims = jwt.claims();
            assertThat(claims.get("iss").asText()).isEqualTo(CLIENT_ID);
            assertThat(claims.get("sub").asText()).isEqualTo(CLIENT_ID);
            assertThat(claims.get("aud").asText()).isEqualTo(audience.toString());
            long exp = claims.get("exp").asLong();
            assertThat(exp)
                    .as("exp in the future")
                    .isGreaterThan(after.getEpochSecond())
                    .as("exp at most five minutes ahead")
                    .isLessThanOrEqualTo(before.getEpochSecond() + 300);
            assertThat(claims.get("jti").asText()).isNotBlank();
        }
    }

    @Nested
    class TokenCache {

        @Test
        void aTokenServesEveryRequestUntilShortlyBeforeItExpires() throws Exception {
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            assertThat(authorization.header(false)).contains("Bearer token-1");
            assertThat(authorization.header(false)).contains("Bearer token-1");
            clock.advance(Duration.ofSeconds(239));
            assertThat(authorization.header(false)).contains("Bearer token-1");
            assertThat(tokenRequests()).hasSize(1);

            clock.advance(Duration.ofSeconds(2)); // 241 s: within the 60 s margin of expires_in 300
            assertThat(authorization.header(false)).contains("Bearer token-2");
            assertThat(tokenRequests()).hasSize(2);
        }

        @Test
        void renewFetchesOneFreshTokenWhichIsThenReused() throws Exception {
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            assertThat(authorization.header(false)).contains("Bearer token-1");
            assertThat(authorization.header(true)).contains("Bearer token-2");
            assertThat(authorization.header(false)).contains("Bearer token-2");

            assertThat(tokenRequests()).hasSize(2);
            assertThat(authorization.canRenew()).isTrue();
        }

        @Test
        void aTokenThatExpiresWithinTheMarginIsNotReused() throws Exception {
            tokensExpiringIn(30);
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            assertThat(authorization.header(false)).contains("Bearer token-1");
            assertThat(authorization.header(false)).contains("Bearer token-2");

            assertThat(tokenRequests()).hasSize(2);
        }

        @Test
        void anAnswerWithoutTokenTypeAndWithExpiresInAsTextIsUsedForThatLong() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH).willReturn(okJson("{\"access_token\":\"plain\",\"expires_in\":\"100\"}")));
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            assertThat(authorization.header(false)).contains("Bearer plain");
            clock.advance(Duration.ofSeconds(39));
            assertThat(authorization.header(false)).contains("Bearer plain");
            assertThat(tokenRequests()).hasSize(1);

            clock.advance(Duration.ofSeconds(2)); // 41 s: within the 60 s margin of expires_in 100
            authorization.header(false);
            assertThat(tokenRequests()).hasSize(2);
        }

        @Test
        void anAnswerWithoutExpiresInServesFiveMinutes() throws Exception {
            SERVER.stubFor(
                    post(TOKEN_PATH).willReturn(okJson("{\"access_token\":\"plain\",\"token_type\":\"bearer\"}")));
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            authorization.header(false);
            clock.advance(Duration.ofSeconds(239));
            authorization.header(false);
            assertThat(tokenRequests()).hasSize(1);

            clock.advance(Duration.ofSeconds(2));
            authorization.header(false);
            assertThat(tokenRequests()).hasSize(2);
        }

        @Test
        void concurrentRequestsShareOneFetch() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH)
                    .willReturn(aResponse()
                            .withTransformers(TOKENS)
                            .withTransformerParameter("expires_in", 300)
                            .withFixedDelay(500)));
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));

            List<Optional<String>> headers = concurrently(8, () -> authorization.header(false));

            assertThat(headers).containsOnly(Optional.of("Bearer token-1"));
            assertThat(tokenRequests()).hasSize(1);
        }

        @Test
        void concurrentRenewalsAfterA401ShareOneFreshToken() throws Exception {
            SmartBackendAuthorization authorization = rsaAuthorization(Duration.ofSeconds(60));
            assertThat(authorization.header(false)).contains("Bearer token-1");
            SERVER.stubFor(post(TOKEN_PATH)
                    .willReturn(aResponse()
                            .withTransformers(TOKENS)
                            .withTransformerParameter("expires_in", 300)
                            .withFixedDelay(500)));

            List<Optional<String>> headers = concurrently(8, () -> authorization.header(true));

            assertThat(headers).containsOnly(Optional.of("Bearer token-2"));
            assertThat(tokenRequests()).hasSize(2);
        }

        private SmartBackendAuthorization rsaAuthorization(Duration margin) throws Exception {
            return authorization(new EhrProperties.Auth(
                    EhrProperties.AuthType.SMART_BACKEND,
                    null,
                    null,
                    null,
                    CLIENT_ID,
                    tokenEndpoint(),
                    pem(rsa),
                    KEY_ID,
                    SmartBackendAlgorithm.RS384,
                    EhrProperties.Auth.DEFAULT_SCOPES,
                    margin));
        }
    }

    @Nested
    class Discovery {

        @Test
        void theTokenEndpointComesFromTheSmartConfigurationWhenNotConfigured() throws Exception {
            SERVER.stubFor(get("/fhir/.well-known/smart-configuration")
                    .willReturn(okJson("{\"token_endpoint\":\"" + tokenEndpoint() + "\","
                            + "\"token_endpoint_auth_methods_supported\":[\"private_key_jwt\"],"
                            + "\"token_endpoint_auth_signing_alg_values_supported\":[\"RS384\",\"ES384\"]}")));
            EhrAuthorization authorization = SmartBackendAuthorization.create(
                    auth(SmartBackendAlgorithm.ES384, pem(ec), KEY_ID, null),
                    URI.create(ehrBase() + "/"),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    clock);

            assertThat(authorization.header(false)).contains("Bearer token-1");
            assertThat(authorization.header(true)).contains("Bearer token-2");

            assertThat(tokenRequests()).hasSize(2);
            SERVER.verify(1, getRequestedFor(urlEqualTo("/fhir/.well-known/smart-configuration")));
            Jwt jwt = Jwt.decode(form(tokenRequests().get(0)).get("client_assertion"));
            assertThat(jwt.claims().get("aud").asText())
                    .isEqualTo(tokenEndpoint().toString());
        }

        @Test
        void aMissingSmartConfigurationIsATokenFailureThatNamesTheSetting() throws Exception {
            SERVER.stubFor(get("/fhir/.well-known/smart-configuration")
                    .willReturn(aResponse().withStatus(404)));
            EhrAuthorization authorization = SmartBackendAuthorization.create(
                    auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, null),
                    URI.create(ehrBase()),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    clock);

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageContaining("404")
                    .hasMessageContaining("ehr.auth.token-endpoint");
            assertThat(tokenRequests()).isEmpty();
        }

        @Test
        void settingsBoundFromPropertiesDiscoverFromTheBaseUrl() throws Exception {
            SERVER.stubFor(get("/fhir/.well-known/smart-configuration")
                    .willReturn(okJson("{\"token_endpoint\":\"" + tokenEndpoint() + "\"}")));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ehr.base-url", ehrBase());
            settings.put("ehr.auth.type", "smart-backend");
            settings.put("ehr.auth.client-id", CLIENT_ID);
            settings.put("ehr.auth.private-key-file", pem(rsa).toString());
            settings.put("ehr.auth.key-id", KEY_ID);

            EhrProperties properties = bind(settings);

            assertThat(properties.auth().type()).isEqualTo(EhrProperties.AuthType.SMART_BACKEND);
            assertThat(properties.auth().algorithm()).isEqualTo(SmartBackendAlgorithm.RS384);
            assertThat(properties.auth().scopes()).isEqualTo(EhrProperties.Auth.DEFAULT_SCOPES);
            assertThat(properties.auth().tokenRefreshMargin()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.auth().tokenEndpoint()).isNull();
            EhrAuthorization authorization = EhrAuthorization.of(properties);
            assertThat(authorization.canRenew()).isTrue();
            assertThat(authorization.header(false)).contains("Bearer token-1");
            Jwt jwt = Jwt.decode(form(single(tokenRequests())).get("client_assertion"));
            assertThat(jwt.claims().get("aud").asText())
                    .isEqualTo(tokenEndpoint().toString());
        }

        @Test
        void allSettingsBind() throws Exception {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ehr.auth.type", "smart-backend");
            settings.put("ehr.auth.client-id", CLIENT_ID);
            settings.put("ehr.auth.token-endpoint", tokenEndpoint().toString());
            Path key = pem(ec);
            settings.put("ehr.auth.private-key-file", key.toString());
            settings.put("ehr.auth.key-id", KEY_ID);
            settings.put("ehr.auth.algorithm", "ES384");
            settings.put("ehr.auth.scopes", "system/Observation.write");
            settings.put("ehr.auth.token-refresh-margin", "30s");

            EhrProperties.Auth auth = bind(settings).auth();

            assertThat(auth.clientId()).isEqualTo(CLIENT_ID);
            assertThat(auth.tokenEndpoint()).isEqualTo(tokenEndpoint());
            assertThat(auth.privateKeyFile()).isEqualTo(key);
            assertThat(auth.keyId()).isEqualTo(KEY_ID);
            assertThat(auth.algorithm()).isEqualTo(SmartBackendAlgorithm.ES384);
            assertThat(auth.scopes()).isEqualTo("system/Observation.write");
            assertThat(auth.tokenRefreshMargin()).isEqualTo(Duration.ofSeconds(30));
            assertThat(EhrAuthorization.of(auth).header(false)).contains("Bearer token-1");
        }

        private EhrProperties bind(Map<String, String> settings) {
            return new Binder(new MapConfigurationPropertySource(settings))
                    .bindOrCreate("ehr", Bindable.of(EhrProperties.class));
        }
    }

    @Nested
    class Failures {

        @Test
        void anErrorAnswerIsATokenFailureWithTheOauthErrorAndNoSecret() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH)
                    .willReturn(aResponse()
                            .withStatus(401)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"invalid_client\",\"error_description\":\"unknown kid\"}")));
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            Throwable failure = catchFrom(() -> authorization.header(false));

            assertThat(failure)
                    .isInstanceOf(SmartBackendTokenException.class)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(tokenEndpoint().toString())
                    .hasMessageContaining("401")
                    .hasMessageContaining("invalid_client: unknown kid");
            String assertion = form(single(tokenRequests())).get("client_assertion");
            assertThat(failure.getMessage()).doesNotContain(assertion.substring(assertion.lastIndexOf('.') + 1));
        }

        @Test
        void anAnswerWithoutAccessTokenIsATokenFailure() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH).willReturn(okJson("{\"token_type\":\"bearer\",\"expires_in\":300}")));
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageContaining("access_token");
        }

        @Test
        void anUnreachableTokenEndpointIsATokenFailure() throws Exception {
            SmartBackendAuthorization authorization = authorization(auth(
                    SmartBackendAlgorithm.RS384,
                    pem(rsa),
                    KEY_ID,
                    URI.create("http://localhost:" + closedPort() + TOKEN_PATH)));

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageContaining("Could not reach the SMART token endpoint");
        }

        @Test
        void anAnswerWithAnotherTokenTypeIsATokenFailure() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH)
                    .willReturn(okJson("{\"access_token\":\"x\",\"token_type\":\"DPoP\",\"expires_in\":300}")));
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageContaining("token_type DPoP; only bearer tokens are supported");
        }

        @Test
        void anErrorAnswerThatIsNotJsonIsReportedByItsStatusAlone() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH)
                    .willReturn(aResponse().withStatus(502).withBody("<html>upstream secret-detail</html>")));
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageEndingWith(" answered 502")
                    .hasMessageNotContaining("secret-detail");
        }

        @Test
        void afterAFailureTheNextRequestTriesAgain() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH)
                    .atPriority(1)
                    .inScenario("outage")
                    .whenScenarioStateIs("Started")
                    .willReturn(aResponse().withStatus(503))
                    .willSetStateTo("recovered"));
            SmartBackendAuthorization authorization =
                    authorization(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint()));

            assertThatThrownBy(() -> authorization.header(false))
                    .isInstanceOf(SmartBackendTokenException.class)
                    .hasMessageContaining("503");
            assertThat(authorization.header(false)).contains("Bearer token-1");
        }
    }

    @Nested
    class Settings {

        @Test
        void clientIdIsRequired() throws Exception {
            assertStartupFails(withClientId(null), "ehr.auth.client-id");
        }

        @Test
        void privateKeyFileIsRequired() {
            assertStartupFails(
                    new EhrProperties.Auth(
                            EhrProperties.AuthType.SMART_BACKEND,
                            null,
                            null,
                            null,
                            CLIENT_ID,
                            tokenEndpoint(),
                            null,
                            KEY_ID,
                            SmartBackendAlgorithm.RS384,
                            EhrProperties.Auth.DEFAULT_SCOPES,
                            Duration.ofSeconds(60)),
                    "ehr.auth.private-key-file");
        }

        @Test
        void aPrivateKeyFileThatIsNotThereIsNamed() {
            assertStartupFails(
                    auth(SmartBackendAlgorithm.RS384, dir.resolve("absent.pem"), KEY_ID, tokenEndpoint()),
                    "ehr.auth.private-key-file");
        }

        @Test
        void keyIdIsRequiredForAPem() throws Exception {
            assertStartupFails(auth(SmartBackendAlgorithm.RS384, pem(rsa), null, tokenEndpoint()), "ehr.auth.key-id");
        }

        @Test
        void keyIdIsRequiredForAJwkWithoutKid() throws Exception {
            assertStartupFails(
                    auth(SmartBackendAlgorithm.ES384, jwk(ec, null), " ", tokenEndpoint()), "ehr.auth.key-id");
        }

        @Test
        void theTokenEndpointIsRequiredWhenItCannotBeDiscovered() throws Exception {
            assertThatThrownBy(() -> EhrAuthorization.of(auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ehr.auth.token-endpoint");
        }

        @Test
        void scopesMustNotBeBlank() throws Exception {
            assertStartupFails(
                    new EhrProperties.Auth(
                            EhrProperties.AuthType.SMART_BACKEND,
                            null,
                            null,
                            null,
                            CLIENT_ID,
                            tokenEndpoint(),
                            pem(rsa),
                            KEY_ID,
                            SmartBackendAlgorithm.RS384,
                            " ",
                            Duration.ofSeconds(60)),
                    "ehr.auth.scopes");
        }

        @Test
        void theKeyMustSuitTheAlgorithm() throws Exception {
            assertStartupFails(
                    auth(SmartBackendAlgorithm.ES384, pem(rsa), KEY_ID, tokenEndpoint()), "ehr.auth.algorithm");
            assertStartupFails(
                    auth(SmartBackendAlgorithm.RS384, jwk(ec, "kid"), null, tokenEndpoint()), "ehr.auth.algorithm");
        }

        @Test
        void anRsaKeyMustHaveAtLeast2048Bits() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            assertStartupFails(
                    auth(SmartBackendAlgorithm.RS384, pem(generator.generateKeyPair()), KEY_ID, tokenEndpoint()),
                    "2048");
        }

        @Test
        void aPublicJwkIsRefusedWithoutShowingTheKey() throws Exception {
            Path file = dir.resolve("public.json");
            ECPublicKey publicKey = (ECPublicKey) ec.getPublic();
            Files.writeString(
                    file,
                    "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"k\",\"x\":\""
                            + b64(publicKey.getW().getAffineX(), 48) + "\",\"y\":\""
                            + b64(publicKey.getW().getAffineY(), 48)
                            + "\"}");
            assertStartupFails(
                    auth(SmartBackendAlgorithm.ES384, file, null, tokenEndpoint()), "the private key (d) is needed");
        }

        @Test
        void anEncryptedOrPkcs1PemIsRefusedWithAHint() throws Exception {
            Path file = dir.resolve("old.pem");
            Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
            assertStartupFails(auth(SmartBackendAlgorithm.RS384, file, KEY_ID, tokenEndpoint()), "PKCS#8");
        }

        @Test
        void aSec1OrEncryptedPemIsRefusedWithAHint() throws Exception {
            Path sec1 = dir.resolve("sec1.pem");
            Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
            assertStartupFails(auth(SmartBackendAlgorithm.ES384, sec1, KEY_ID, tokenEndpoint()), "SEC1 key");
            Path encrypted = dir.resolve("encrypted.pem");
            Files.writeString(
                    encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
            assertStartupFails(
                    auth(SmartBackendAlgorithm.ES384, encrypted, KEY_ID, tokenEndpoint()), "unencrypted PKCS#8");
        }

        @Test
        void anEcJwkOnAnotherCurveIsRefused() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair p256 = generator.generateKeyPair();
            ECPublicKey publicKey = (ECPublicKey) p256.getPublic();
            Path file = dir.resolve("p256.json");
            Files.writeString(
                    file,
                    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\",\"x\":\""
                            + b64(publicKey.getW().getAffineX(), 32) + "\",\"y\":\""
                            + b64(publicKey.getW().getAffineY(), 32) + "\",\"d\":\""
                            + b64(((ECPrivateKey) p256.getPrivate()).getS(), 32) + "\"}");
            assertStartupFails(auth(SmartBackendAlgorithm.ES384, file, null, tokenEndpoint()), "ES384 needs P-384");
        }

        @Test
        void aJwkForEncryptionIsRefused() throws Exception {
            Path file = dir.resolve("enc.json");
            Files.writeString(file, Files.readString(jwk(rsa, "k")).replace("\"kty\"", "\"use\":\"enc\",\"kty\""));
            assertStartupFails(
                    auth(SmartBackendAlgorithm.RS384, file, null, tokenEndpoint()), "use enc, not for signing (sig)");
        }

        @Test
        void invalidJsonIsReportedWithoutItsContent() throws Exception {
            Path file = dir.resolve("broken.json");
            Files.writeString(file, "{\"kty\":\"EC\",\"d\":\"very-secret-value\" oops}");
            Throwable failure = catchFrom(() -> SmartBackendAuthorization.create(
                    auth(SmartBackendAlgorithm.ES384, file, KEY_ID, tokenEndpoint()),
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    clock));
            assertThat(failure)
                    .hasMessageContaining("ehr.auth.private-key-file")
                    .hasMessageContaining("not valid JSON")
                    .hasMessageNotContaining("very-secret-value")
                    .hasNoCause();
        }

        private EhrProperties.Auth withClientId(String clientId) throws Exception {
            return new EhrProperties.Auth(
                    EhrProperties.AuthType.SMART_BACKEND,
                    null,
                    null,
                    null,
                    clientId,
                    tokenEndpoint(),
                    pem(rsa),
                    KEY_ID,
                    SmartBackendAlgorithm.RS384,
                    EhrProperties.Auth.DEFAULT_SCOPES,
                    Duration.ofSeconds(60));
        }

        private void assertStartupFails(EhrProperties.Auth auth, String message) {
            assertThatThrownBy(() -> EhrAuthorization.of(auth))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(message);
        }
    }

    /** Through the {@link EhrClient}: a 401 costs one fresh token, a token outage is a delivery to retry. */
    @Nested
    class ThroughTheEhrClient {

        private static final String TRANSACTION_RESPONSE = "{\"resourceType\":\"Bundle\","
                + "\"type\":\"transaction-response\",\"entry\":[{\"response\":{\"status\":\"201 Created\","
                + "\"location\":\"QuestionnaireResponse/ehr-1/_history/1\"}}]}";

        @Test
        void aRefusedTokenIsRenewedOnceAndTheRequestRepeated() throws Exception {
            SERVER.stubFor(post("/fhir")
                    .withHeader("Authorization", equalTo("Bearer token-1"))
                    .willReturn(aResponse().withStatus(401)));
            SERVER.stubFor(post("/fhir")
                    .withHeader("Authorization", equalTo("Bearer token-2"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/fhir+json")
                            .withBody(TRANSACTION_RESPONSE)));
            EhrClient client = client(tokenEndpoint());

            EhrClient.Result first = client.send("submission-1", resources());
            EhrClient.Result second = client.send("submission-2", resources());

            assertThat(first)
                    .isInstanceOfSatisfying(
                            EhrClient.Delivered.class,
                            delivered -> assertThat(delivered.ehrIds())
                                    .isEqualTo(Map.of("QuestionnaireResponse/qr-1", "QuestionnaireResponse/ehr-1")));
            assertThat(second).isInstanceOf(EhrClient.Delivered.class);
            assertThat(tokenRequests())
                    .as("one token, one renewal after the 401, then reuse")
                    .hasSize(2);
            SERVER.verify(3, postRequestedFor(urlEqualTo("/fhir")));
        }

        @Test
        void aTokenEndpointOutageIsADeliveryToRetry() throws Exception {
            SERVER.stubFor(post(TOKEN_PATH).willReturn(aResponse().withStatus(503)));
            SERVER.stubFor(post("/fhir")
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/fhir+json")
                            .withBody(TRANSACTION_RESPONSE)));

            EhrClient.Result result = client(tokenEndpoint()).send("submission-1", resources());

            assertThat(result).isInstanceOf(EhrClient.Retry.class);
            SERVER.verify(0, postRequestedFor(urlEqualTo("/fhir")));
        }

        @Test
        void anUnreachableTokenEndpointIsADeliveryToRetry() throws Exception {
            EhrClient.Result result = client(URI.create("http://localhost:" + closedPort() + TOKEN_PATH))
                    .send("submission-1", resources());

            assertThat(result).isInstanceOf(EhrClient.Retry.class);
            SERVER.verify(0, postRequestedFor(urlEqualTo("/fhir")));
        }

        private EhrClient client(URI tokenEndpoint) throws Exception {
            EhrProperties properties = new EhrProperties(
                    URI.create(ehrBase()),
                    EhrProperties.Mode.TRANSACTION,
                    1,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    new EhrProperties.Retry(Duration.ofSeconds(2), Duration.ofMinutes(5), 2.0, 50),
                    auth(SmartBackendAlgorithm.RS384, pem(rsa), KEY_ID, tokenEndpoint),
                    "Organization/triage-site",
                    Duration.ofHours(1),
                    EhrProperties.DocumentPolicy.AUTO,
                    EhrProperties.DEFAULT_DOCUMENT_TYPE,
                    EhrProperties.DEFAULT_DOCUMENT_CATEGORY);
            FhirContext fhir = FhirContext.forR4Cached();
            return new EhrClient(properties, EhrAuthorization.of(properties), new EhrBundles(fhir), fhir);
        }

        private List<Resource> resources() {
            QuestionnaireResponse response = new QuestionnaireResponse();
            response.setId("qr-1");
            response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
            return List.of(response);
        }
    }

    // --- helpers

    private SmartBackendAuthorization authorization(EhrProperties.Auth auth) {
        return SmartBackendAuthorization.create(auth, null, Duration.ofSeconds(2), Duration.ofSeconds(5), clock);
    }

    private static EhrProperties.Auth auth(SmartBackendAlgorithm algorithm, Path key, String keyId, URI tokenEndpoint) {
        return new EhrProperties.Auth(
                EhrProperties.AuthType.SMART_BACKEND,
                null,
                null,
                null,
                CLIENT_ID,
                tokenEndpoint,
                key,
                keyId,
                algorithm,
                EhrProperties.Auth.DEFAULT_SCOPES,
                Duration.ofSeconds(60));
    }

    private static URI tokenEndpoint() {
        return URI.create("http://localhost:" + SERVER.port() + TOKEN_PATH);
    }

    private static String ehrBase() {
        return "http://localhost:" + SERVER.port() + "/fhir";
    }

    private static void tokensExpiringIn(int seconds) {
        SERVER.stubFor(post(TOKEN_PATH)
                .willReturn(aResponse().withTransformers(TOKENS).withTransformerParameter("expires_in", seconds)));
    }

    private static List<LoggedRequest> tokenRequests() {
        return SERVER.findAll(postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    private static LoggedRequest single(List<LoggedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] parts = pair.split("=", 2);
            String previous = form.put(
                    URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
            assertThat(previous).as("parameter %s given once", parts[0]).isNull();
        }
        return form;
    }

    /** The private key as PEM, PKCS#8. */
    private Path pem(KeyPair pair) throws IOException {
        Path file = Files.createTempFile(dir, "key", ".pem");
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** The private key as a JWK; {@code kid} left out when null. */
    private Path jwk(KeyPair pair, String kid) throws IOException {
        Map<String, String> jwk = new LinkedHashMap<>();
        if (pair.getPrivate() instanceof RSAPrivateCrtKey key) {
            jwk.put("kty", "RSA");
            jwk.put("n", b64(key.getModulus(), 0));
            jwk.put("e", b64(key.getPublicExponent(), 0));
            jwk.put("d", b64(key.getPrivateExponent(), 0));
            jwk.put("p", b64(key.getPrimeP(), 0));
            jwk.put("q", b64(key.getPrimeQ(), 0));
            jwk.put("dp", b64(key.getPrimeExponentP(), 0));
            jwk.put("dq", b64(key.getPrimeExponentQ(), 0));
            jwk.put("qi", b64(key.getCrtCoefficient(), 0));
        } else {
            ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
            jwk.put("kty", "EC");
            jwk.put("crv", "P-384");
            jwk.put("x", b64(publicKey.getW().getAffineX(), 48));
            jwk.put("y", b64(publicKey.getW().getAffineY(), 48));
            jwk.put("d", b64(((ECPrivateKey) pair.getPrivate()).getS(), 48));
        }
        if (kid != null) {
            jwk.put("kid", kid);
        }
        Path file = Files.createTempFile(dir, "key", ".json");
        Files.writeString(file, JSON.writeValueAsString(jwk));
        return file;
    }

    /** Unsigned big-endian base64url, left-padded with zeros to {@code length} bytes when given. */
    private static String b64(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length < length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Throwable catchFrom(ThrowingCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> List<T> concurrently(int threads, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return call.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Throwable;
    }

    /** A compact JWS taken apart. */
    private record Jwt(JsonNode header, JsonNode claims, String signingInput, byte[] signature) {

        static Jwt decode(String compact) {
            String[] parts = compact.split("\\.");
            assertThat(parts).as("header.claims.signature").hasSize(3);
            Base64.Decoder decoder = Base64.getUrlDecoder();
            try {
                return new Jwt(
                        JSON.readTree(decoder.decode(parts[0])),
                        JSON.readTree(decoder.decode(parts[1])),
                        parts[0] + "." + parts[1],
                        decoder.decode(parts[2]));
            } catch (IOException e) {
                throw new AssertionError("not a JWT", e);
            }
        }

        boolean verify(String algorithm, PublicKey key) throws GeneralSecurityException {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        }
    }

    /** Answers a token request with token-1, token-2, ... valid for the {@code expires_in} parameter. */
    private static final class NumberedTokens implements ResponseDefinitionTransformerV2 {

        final AtomicInteger next = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            int expiresIn = event.getTransformerParameters().getInt("expires_in", 300);
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"token-" + next.incrementAndGet() + "\",\"token_type\":\"Bearer\","
                            + "\"expires_in\":" + expiresIn + ",\"scope\":\"system/Observation.write\"}")
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TOKENS;
        }
    }

    /** A clock the test moves forward. */
}
