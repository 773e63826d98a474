package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.Sandbox;
import org.twitchtriage.testing.Sandbox.Pkce;

/**
 * The sandbox profile's authorization server, driven over HTTP as a browser and the SMART client would: the
 * authorization-code flow with PKCE, the patient in the access token and the token response, launches from the
 * launcher, and the module accepting the tokens on {@code /fhir}.
 */
@ActiveProfiles("sandbox")
class SandboxIT extends FhirHttpTest {

    private static final String FORM_SCOPES = "openid fhirUser patient/Questionnaire.rs"
            + " patient/QuestionnaireResponse.cru patient/Observation.rs patient/Communication.rs patient/CodeSystem.rs";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Sandbox.configure(registry);
    }

    private Sandbox sandbox() {
        return new Sandbox(port);
    }

    @Test
    void aStandaloneLaunchGivesTheDemoPatientsTokenWhichSubmits() throws ParseException {
        JsonNode answer = sandbox().patientToken("launch/patient " + FORM_SCOPES);
        assertThat(answer.path("patient").asText()).isEqualTo(Sandbox.PATIENT);
        assertThat(answer.path("need_patient_banner").asBoolean()).isTrue();
        assertThat(answer.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.path("scope").asText()).contains("patient/QuestionnaireResponse.cru");
        String token = answer.path("access_token").asText();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(sandbox().base());
        assertThat(claims.getAudience()).containsExactly(fhirBase());
        assertThat(claims.getStringClaim("patient")).isEqualTo(Sandbox.PATIENT);
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Patient/" + Sandbox.PATIENT);
        assertThat(claims.getClaim("scope")).isInstanceOf(String.class);
        assertThat(SignedJWT.parse(answer.path("id_token").asText())
                        .getJWTClaimsSet()
                        .getStringClaim("fhirUser"))
                .isEqualTo("Patient/" + Sandbox.PATIENT);

        HttpResponse<String> created = post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign()
                        .subject("Patient/" + Sandbox.PATIENT)
                        .build()),
                "Authorization",
                "Bearer " + token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(parse(QuestionnaireResponse.class, created).getSubject().getReference())
                .isEqualTo("Patient/" + Sandbox.PATIENT);

        HttpResponse<String> submitted = submit(token, "Patient/" + Sandbox.PATIENT);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        QuestionnaireResponse stored = parse(Bundle.class, submitted).getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(QuestionnaireResponse.class::isInstance)
                .map(QuestionnaireResponse.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + Sandbox.PATIENT);
        // The token is the demo patient's: another patient's answers are refused.
        assertThat(submit(token, "Patient/example-17").statusCode()).isEqualTo(403);
    }

    @Test
    void aLaunchFromTheLauncherGivesItsPatient() {
        Sandbox browser = sandbox();
        JsonNode launch = Sandbox.json(browser.launch("patient"), 201);
        assertThat(launch.path("patient").asText()).isEqualTo(Sandbox.PATIENT);
        String id = launch.path("launch").asText();
        assertThat(launch.path("url").asText())
                .startsWith("/launch?iss="
                        + java.net.URLEncoder.encode(fhirBase(), java.nio.charset.StandardCharsets.UTF_8))
                .endsWith("&launch=" + id);

        Pkce pkce = Pkce.make();
        Map<String, String> request = browser.formAuthorization("launch " + FORM_SCOPES, pkce);
        request.put("launch", id);
        URI back = browser.authorizeSigningIn(request, "patient");
        Map<String, String> answer = Sandbox.query(back);
        assertThat(answer).as(back.toString()).containsKey("code");
        JsonNode token = Sandbox.json(browser.token(answer.get("code"), pkce), 200);
        assertThat(token.path("patient").asText()).isEqualTo(Sandbox.PATIENT);
    }

    @Test
    void anUnknownLaunchOrAnotherAudienceIsRefusedBeforeSigningIn() {
        Sandbox browser = sandbox();
        Map<String, String> request = browser.formAuthorization("launch " + FORM_SCOPES, Pkce.make());
        request.put("launch", "no-such-launch");
        HttpResponse<String> refused = browser.authorize(request);
        assertThat(refused.statusCode()).isEqualTo(302);
        Map<String, String> answer = Sandbox.query(Sandbox.location(refused));
        assertThat(answer).containsEntry("error", "invalid_request").containsEntry("state", "st");
        assertThat(answer.get("error_description")).contains("launch");

        Map<String, String> elsewhere = browser.formAuthorization(FORM_SCOPES, Pkce.make());
        elsewhere.put("aud", "https://ehr.example.test/fhir");
        assertThat(Sandbox.query(Sandbox.location(browser.authorize(elsewhere))))
                .containsEntry("error", "invalid_request");
    }

    @Test
    void aLaunchForTheOtherUserAsksWhoIsThereInsteadOfGivingACode() {
        Sandbox browser = sandbox();
        // The patient has just used the form in this browser.
        browser.patientToken("launch/patient " + FORM_SCOPES);
        String id =
                Sandbox.json(browser.launch("clinician"), 201).path("launch").asText();
        Map<String, String> request = browser.formAuthorization("launch " + FORM_SCOPES, Pkce.make());
        request.put("launch", id);
        HttpResponse<String> toSignIn = browser.authorize(request);
        assertThat(toSignIn.statusCode()).isEqualTo(302);
        assertThat(Sandbox.location(toSignIn).getPath()).isEqualTo("/sandbox/login");
        assertThat(browser.get("/sandbox/login").body()).contains("Sign in as the demo clinician");

        // Signing in as the patient again does not make it the patient's launch.
        HttpResponse<String> signedIn = browser.signIn("patient", "patient");
        URI again = Sandbox.location(signedIn);
        HttpResponse<String> stillNot = browser.get(again.getRawPath() + "?" + again.getRawQuery());
        assertThat(stillNot.statusCode()).isEqualTo(302);
        assertThat(Sandbox.location(stillNot).getPath()).isEqualTo("/sandbox/login");
        assertThat(Sandbox.query(Sandbox.location(stillNot))).doesNotContainKey("code");
    }

    @Test
    void theCodeNeedsItsPkceVerifierAndARequestNeedsAChallenge() {
        Sandbox browser = sandbox();
        Pkce pkce = Pkce.make();
        URI back = browser.authorizeSigningIn(browser.formAuthorization(FORM_SCOPES, pkce), "patient");
        HttpResponse<String> wrong = browser.token(Sandbox.query(back).get("code"), Pkce.make());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("invalid_grant");

        Map<String, String> withoutChallenge = browser.formAuthorization(FORM_SCOPES, pkce);
        withoutChallenge.remove("code_challenge");
        withoutChallenge.remove("code_challenge_method");
        assertThat(Sandbox.query(Sandbox.location(browser.authorize(withoutChallenge))))
                .containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
    }

    @Test
    void theSignInSessionOpensNeitherFhirNorTheClinicianPages() {
        Sandbox browser = sandbox();
        browser.signIn("clinician", "clinician");
        HttpResponse<String> fhir = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation"))
                .header("Cookie", browser.cookieHeader())
                .GET()
                .build());
        assertThat(fhir.statusCode()).isEqualTo(401);
        HttpResponse<String> pages =
                send(HttpRequest.newBuilder(URI.create(sandbox().base() + "/clinician/api/results"))
                        .header("Cookie", browser.cookieHeader())
                        .header("Accept", "application/json")
                        .GET()
                        .build());
        assertThat(pages.statusCode()).isEqualTo(401);
    }

    @Test
    void theClinicianLaunchSignsInWithTheLaunchAndOpensTheWorklistOnThePatient() {
        Sandbox browser = sandbox();
        String launchUrl =
                Sandbox.json(browser.launch("clinician"), 201).path("url").asText();
        HttpResponse<String> started = browser.get(launchUrl);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        assertThat(Sandbox.location(started).getPath()).isEqualTo("/oauth2/authorization/sandbox");

        HttpResponse<String> toServer = browser.get(Sandbox.location(started).getPath());
        assertThat(toServer.statusCode()).isEqualTo(302);
        URI authorization = Sandbox.location(toServer);
        Map<String, String> request = Sandbox.query(authorization);
        assertThat(request)
                .containsEntry("client_id", "twitch-triage-clinician")
                .containsEntry("aud", fhirBase())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("launch", Sandbox.query(URI.create(launchUrl)).get("launch"));
        assertThat(request.get("scope").split(" ")).contains("launch", "openid", "user/Observation.rs");

        URI back = browser.authorizeSigningIn(request, "clinician");
        assertThat(back.getPath()).isEqualTo("/login/oauth2/code/sandbox");
        HttpResponse<String> signedIn = browser.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(Sandbox.location(signedIn).toString()).endsWith("/clinician/?patient=Patient%2F" + Sandbox.PATIENT);
        HttpResponse<String> worklist = browser.get("/clinician/api/results?patient=Patient/" + Sandbox.PATIENT);
        assertThat(worklist.statusCode()).as(worklist.body()).isEqualTo(200);
    }

    @Test
    void aClinicianLaunchTheServerDoesNotKnowEndsSayingSo() {
        Sandbox browser = sandbox();
        HttpResponse<String> started = browser.get("/clinician/launch?iss=" + fhirBase() + "&launch=no-such-launch");
        HttpResponse<String> toServer = browser.get(Sandbox.location(started).getPath());
        URI authorization = Sandbox.location(toServer);
        HttpResponse<String> refused = browser.get(authorization.getRawPath() + "?" + authorization.getRawQuery());
        URI back = Sandbox.location(refused);
        assertThat(Sandbox.query(back)).containsEntry("error", "invalid_request");
        HttpResponse<String> failed = browser.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(failed.body()).contains("Launch refused").contains("(invalid_request)");

        // A sign-in without a launch that fails goes where it always did.
        HttpResponse<String> direct = browser.get("/login/oauth2/code/sandbox?error=access_denied&state=x");
        assertThat(Sandbox.location(direct).toString()).endsWith("/login?error");
    }

    @Test
    void aClinicianLaunchFromAnUnknownFhirServerIsRefused() {
        Sandbox browser = sandbox();
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(URI.create(
                        browser.base() + "/clinician/launch?iss=https%3A%2F%2Fehr.example.test%2Ffhir&launch=abc"))
                .header("Accept", "application/fhir+json")
                .GET()
                .build());
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("OperationOutcome").contains("does not trust");

        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(
                        browser.base() + "/clinician/launch?iss=https%3A%2F%2Fehr.example.test%2Ffhir&launch=abc"))
                .header("Accept", "text/html")
                .GET()
                .build());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("Launch refused");

        HttpResponse<String> withoutLaunch =
                send(HttpRequest.newBuilder(URI.create(browser.base() + "/clinician/launch?iss=" + fhirBase()))
                        .GET()
                        .build());
        assertThat(withoutLaunch.statusCode()).isEqualTo(400);
    }

    @Test
    void aWrongPasswordDoesNotSignIn() {
        HttpResponse<String> refused = sandbox().signIn("patient", "not-the-password");
        assertThat(Sandbox.location(refused).toString()).endsWith("/sandbox/login?error");
    }

    private HttpResponse<String> submit(String token, String subject) {
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("resource")
                .setResource(ChecklistResponses.benign().subject(subject).build());
        return post("/QuestionnaireResponse/$submit", JSON, json(parameters), "Authorization", "Bearer " + token);
    }
}
