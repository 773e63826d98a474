package org.twitchtriage.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.CdsHooks;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.TestTokens;

/**
 * The EHR's JWT, in secured mode with a trusted EHR: every hook and feedback call needs one, signed by a key of the
 * EHR's JWK set, for this service's URL, unexpired and never used before. The module's own authorization server
 * plays no part in it (its resource server must not take the EHR's JWT for one of its tokens), discovery stays
 * open, and browser-based EHRs of the allowed origins may call.
 */
class CdsHooksAuthIT extends IntegrationTest {

    private static final String EHR_ORIGIN = "https://ehr-app.example.test";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestTokens.configure(registry);
        CdsHooks.trustTheEhr(registry);
        registry.add("security.cors-allowed-origins", () -> EHR_ORIGIN);
    }

    @Test
    void theRightJwtIsAcceptedAndAPatientWithoutResultsGetsNoCard() {
        HttpResponse<String> response = call(CdsHooks.jwt().build());

        JsonNode body = CdsHooks.json(response, 200);
        assertThat(body.get("cards")).isEmpty();
    }

    @Test
    void aCallWithoutJwtIsUnauthorized() {
        HttpResponse<String> response = call(null);

        assertUnauthorized(response, "needs the EHR's signed JWT");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void anExpiredJwtIsUnauthorized() {
        assertUnauthorized(call(CdsHooks.jwt().issuedAgo(Duration.ofMinutes(10)).build()), "expired");
    }

    @Test
    void aJwtForAnotherAudienceIsUnauthorized() {
        assertUnauthorized(
                call(CdsHooks.jwt()
                        .audience("https://other.example.test/cds-services/" + CdsHooks.SERVICE)
                        .build()),
                "another audience");
    }

    @Test
    void aJwtFromAnUnknownIssuerIsUnauthorized() {
        assertUnauthorized(
                call(CdsHooks.jwt().issuer("https://stranger.example.test").build()), "not a trusted");
    }

    @Test
    void aJwtWithABadSignatureIsUnauthorized() {
        assertUnauthorized(call(CdsHooks.jwt().signedWithAnUnpublishedKey().build()), "not signed by a key");
    }

    @Test
    void aJwtWithoutKidIsUnauthorized() {
        assertUnauthorized(call(CdsHooks.jwt().withoutKid().build()), "(kid)");
    }

    @Test
    void aReplayedJwtIsUnauthorized() {
        String jwt = CdsHooks.jwt().jti(UUID.randomUUID().toString()).build();
        assertThat(call(jwt).statusCode()).isEqualTo(200);

        assertUnauthorized(call(jwt), "used before");
    }

    @Test
    void theModulesOwnAccessTokenIsNoCdsHooksJwt() {
        String token = TestTokens.system("system/Observation.rs").build();

        assertUnauthorized(call(token), "not a trusted");
    }

    @Test
    void feedbackNeedsAJwtToo() {
        String body = CdsHooks.feedback(UUID.randomUUID().toString(), "accepted", null, null)
                .toString();
        String path = "/cds-services/" + CdsHooks.SERVICE + "/feedback";

        assertUnauthorized(CdsHooks.post(port, path, body, null), "needs the EHR's signed JWT");
        HttpResponse<String> unknownCard = CdsHooks.post(
                port,
                path,
                body,
                CdsHooks.jwt().audience(CdsHooks.SERVICE_URL + "/feedback").build());
        assertThat(unknownCard.statusCode()).as(unknownCard.body()).isEqualTo(404);
    }

    @Test
    void discoveryIsOpenAndAllowedOriginsMayCallFromBrowsers() {
        HttpResponse<String> discovery =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services"))
                        .header("Origin", EHR_ORIGIN)
                        .GET()
                        .build());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(EHR_ORIGIN);

        HttpResponse<String> preflight = preflight(EHR_ORIGIN);
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(EHR_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(headers -> assertThat(headers.toLowerCase()).contains("authorization"));
        assertThat(preflight("https://elsewhere.example.test").statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> preflight(String origin) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services/" + CdsHooks.SERVICE))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private HttpResponse<String> call(String jwt) {
        return CdsHooks.call(port, CdsHooks.patientView("example-cds-auth-1"), jwt);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String saying) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(parse(OperationOutcome.class, response).getIssueFirstRep().getDiagnostics())
                .contains(saying);
    }
}
