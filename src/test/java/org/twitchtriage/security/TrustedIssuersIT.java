package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * Portals that launch the form with the EHR's FHIR server as {@code iss}: tokens of their authorization
 * servers are accepted when the issuer is trusted, for the audiences configured for it, beside the primary
 * issuer's; and {@code /launch} accepts only the module's own {@code /fhir} and the trusted FHIR servers.
 */
class TrustedIssuersIT extends FhirHttpTest {

    private static final String EHR_A = "https://ehr-a.example.test/fhir";
    private static final String EHR_B = "https://ehr-b.example.test/r4";
    private static final TestTokens.Issuer PORTAL_A = TestTokens.otherIssuer("portal-a");
    private static final TestTokens.Issuer PORTAL_B = TestTokens.otherIssuer("portal-b");
    private static final TestTokens.Issuer STRANGER = TestTokens.otherIssuer("stranger");
    private static final String SCOPES = "launch patient/QuestionnaireResponse.c";

    private final String patient = "example-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
        PORTAL_A.trust(registry, 0, EHR_A, EHR_A);
        PORTAL_B.trust(registry, 1, EHR_B, EHR_B + "/");
    }

    @Test
    void eachTrustedIssuersTokensAreAcceptedForItsAudienceBesideThePrimaryIssuers() {
        assertThat(create(PORTAL_A.patient(patient, SCOPES, EHR_A).build()).statusCode())
                .isEqualTo(201);
        assertThat(create(PORTAL_B.patient(patient, SCOPES, EHR_B).build()).statusCode())
                .isEqualTo(201);
        assertThat(create(TestTokens.patient(patient, SCOPES).build()).statusCode())
                .isEqualTo(201);
    }

    @Test
    void anIssuerNotTrustedIsRefused() {
        HttpResponse<String> refused =
                create(STRANGER.patient(patient, SCOPES, EHR_A).build());
        outcome(refused, 401);
        assertThat(refused.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).contains("invalid_token"));
    }

    @Test
    void aTrustedIssuersTokenForAnotherAudienceIsRefused() {
        outcome(create(PORTAL_A.patient(patient, SCOPES, EHR_B).build()), 401);
        outcome(create(PORTAL_A.patient(patient, SCOPES, TestTokens.AUDIENCE).build()), 401);
    }

    @Test
    void aTokenNamingATrustedIssuerButSignedByAnotherIsRefused() {
        String forged = PORTAL_B.patient(patient, SCOPES, EHR_A)
                .issuer(PORTAL_A.issuer())
                .build();
        outcome(create(forged), 401);
    }

    @Test
    void thePatientAndScopesComeFromTheTrustedIssuersToken() {
        String token = PORTAL_A.patient(patient, SCOPES, EHR_A).build();
        QuestionnaireResponse someoneElses =
                ChecklistResponses.benign().subject("Patient/example-other").build();
        outcome(post("/QuestionnaireResponse", JSON, json(someoneElses), auth(token)), 403);
        String readOnly =
                PORTAL_A.patient(patient, "patient/Observation.rs", EHR_A).build();
        outcome(create(readOnly), 403);
    }

    @Test
    void theLaunchPageOpensForTheModulesOwnFhirAndTheTrustedFhirServersOnly() {
        assertThat(launch("?iss=" + encode(fhirBase())).statusCode()).isEqualTo(200);
        assertThat(launch("?iss=" + encode(EHR_A) + "&launch=abc123").body()).contains("js/launch.js");
        assertThat(launch("?iss=" + encode(EHR_B)).statusCode()).isEqualTo(200);

        for (String untrusted : List.of(
                "https://evil.example.test/fhir",
                EHR_A + ".evil.example.test",
                "http://localhost:" + port + "/other")) {
            HttpResponse<String> refused = launch("?iss=" + encode(untrusted) + "&launch=abc123");
            assertThat(refused.statusCode()).as(untrusted).isEqualTo(400);
            assertThat(refused.body())
                    .contains("not one this checklist trusts")
                    .doesNotContain("js/launch.js")
                    .doesNotContain("evil");
        }
        HttpResponse<String> withoutIss = launch("");
        assertThat(withoutIss.statusCode()).isEqualTo(400);
        assertThat(withoutIss.body()).contains("without one");
    }

    @Test
    void theLaunchPageIsReachedOnlyThroughItsCheckOfIss() throws Exception {
        HttpResponse<String> direct = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/launch.html?iss=" + encode("https://elsewhere.example.test/fhir")))
                .GET()
                .build());
        assertThat(direct.statusCode()).isEqualTo(404);
        assertThat(direct.body()).doesNotContain("js/launch.js");
    }

    @Test
    void theLaunchConfigurationNamesTheClientScopesAndTrustedFhirServers() throws Exception {
        HttpResponse<String> response = launch("/config");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode config = new ObjectMapper().readTree(response.body());
        assertThat(config.path("secured").asBoolean()).isTrue();
        assertThat(config.path("clientId").asText()).isEqualTo("twitch-triage-form");
        assertThat(config.path("scope").asText())
                .contains("openid", "fhirUser", "patient/QuestionnaireResponse.cru", "patient/CodeSystem.rs")
                .doesNotContain("launch");
        assertThat(config.path("redirectUri").asText()).isEmpty();
        List<String> issuers = new ArrayList<>();
        config.path("issuers").forEach(issuer -> issuers.add(issuer.asText()));
        assertThat(issuers).containsExactly(fhirBase(), EHR_A, EHR_B);
        assertThat(response.body()).doesNotContainIgnoringCase("secret");
    }

    private HttpResponse<String> create(String token) {
        QuestionnaireResponse mine =
                ChecklistResponses.benign().subject("Patient/" + patient).build();
        return post("/QuestionnaireResponse", JSON, json(mine), auth(token));
    }

    private HttpResponse<String> launch(String rest) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/launch" + rest))
                .GET()
                .build());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String[] auth(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
