package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriComponentsBuilder;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * The patient form as a SMART app, in headless Chromium, with the module's own {@code /fhir} as {@code iss}, or an
 * EHR's FHIR server whose portal's authorization server the module trusts: the launch page sends the browser to
 * the authorization server (a stub that signs in at once and issues the test tokens), which sends it back to
 * the form; the SMART client exchanges the code with its PKCE verifier, and the form submits to the module for
 * the patient the token response names.
 */
class SmartLaunchBrowserIT extends BrowserTest {

    private static final String SCOPES_SUBMITTED = "patient/QuestionnaireResponse.cru";

    private final String patient = "example-" + UUID.randomUUID().toString().substring(0, 8);

    /** The portal's authorization server, which issues tokens for the EHR's FHIR server. */
    private static final TestTokens.Issuer PORTAL = TestTokens.otherIssuer("portal");

    private static final String EHR = TestTokens.ehrFhirServer();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
        PORTAL.trust(registry, 0, EHR, EHR);
    }

    @BeforeEach
    void signInAtOnce() {
        TestTokens.authorizeRedirectsBack(false);
        browser.get(base() + "/css/pages.css");
        script("sessionStorage.clear(); localStorage.clear();");
        visitedUrls();
    }

    @Test
    void anEhrLaunchSignsInWithPkceAndSubmitsForTheTokensPatient() {
        String token = issue(TestTokens.patient(patient, SCOPES_SUBMITTED).build());
        int authorizations = TestTokens.requestsTo("authorize").size();
        launch("&launch=ehr-launch-17");
        assertThat(find("patient-fixed").getText()).isEqualTo("Answering as Patient/" + patient + ".");
        assertThat(find("patient-field").isDisplayed()).as("no typed patient").isFalse();
        fillBenign();
        screenshot("patient-form-launched");
        send();
        assertResult("self-care", "Self-care");
        assertTheSubmissionIsThePatients();

        Map<String, String> authorize = query(TestTokens.requestsTo("authorize").get(authorizations));
        assertThat(authorize)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", "twitch-triage-form")
                .containsEntry("launch", "ehr-launch-17")
                .containsEntry("aud", base() + "/fhir")
                .containsEntry("redirect_uri", base() + "/")
                .containsEntry("code_challenge_method", "S256");
        assertThat(authorize.get("scope").split(" "))
                .contains("launch", "openid", "fhirUser", "patient/QuestionnaireResponse.cru")
                .doesNotContain("launch/patient");
        assertThePkceVerifierMatchesTheChallenge(authorize.get("code_challenge"));
        assertTheTokensWereInNoUrl(token);
    }

    @Test
    void aStandaloneLaunchAsksForThePatientAndSubmitsForTheTokensPatient() {
        String token = issue(TestTokens.patient(patient, SCOPES_SUBMITTED).build());
        int authorizations = TestTokens.requestsTo("authorize").size();
        launch("");
        assertThat(find("patient-fixed").getText()).contains("Patient/" + patient);
        fillBenign();
        send();
        assertResult("self-care", "Self-care");
        assertTheSubmissionIsThePatients();

        Map<String, String> authorize = query(TestTokens.requestsTo("authorize").get(authorizations));
        assertThat(authorize).doesNotContainKey("launch");
        assertThat(authorize.get("scope").split(" ")).contains("launch/patient").doesNotContain("launch");
        assertTheTokensWereInNoUrl(token);
    }

    @Test
    void anEhrLaunchWithTheEhrsFhirServerAsIssSubmitsToTheModuleWithThePortalsToken() {
        String token = issue(PORTAL.patient(patient, SCOPES_SUBMITTED, EHR).build());
        int authorizations = TestTokens.requestsTo("authorize").size();
        browser.get(base() + "/launch?iss=" + encode(EHR) + "&launch=portal-launch-3");
        awaitTheForm();
        assertThat(find("patient-fixed").getText()).contains("Patient/" + patient);
        fillBenign();
        send();
        assertResult("self-care", "Self-care");
        assertTheSubmissionIsThePatients();
        Map<String, String> authorize = query(TestTokens.requestsTo("authorize").get(authorizations));
        assertThat(authorize).containsEntry("aud", EHR).containsEntry("launch", "portal-launch-3");
        assertTheTokensWereInNoUrl(token);
    }

    @Test
    void aRedirectBackWithAnotherStateIsRefusedBeforeAnyCodeExchange() {
        issue(TestTokens.patient(patient, SCOPES_SUBMITTED).build());
        TestTokens.authorizeRedirectsBack(true);
        int exchanges = TestTokens.requestsTo("token").size();
        browser.get(base() + "/launch?iss=" + encode(base() + "/fhir"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-status"), "patient portal"));
        assertThat(find("submit").isEnabled()).isFalse();
        assertThat(find("form-container").getText()).isEmpty();
        assertThat(TestTokens.requestsTo("token"))
                .as("the code is never exchanged")
                .hasSize(exchanges);
    }

    @Test
    void afterTheTokenExpiresARelaunchKeepsTheAnswers() {
        String expired =
                issue(TestTokens.patient(patient, SCOPES_SUBMITTED).expired().build());
        launch("&launch=ehr-launch-18");
        fillBenign();
        send();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-ended")));
        assertThat(find("result").isDisplayed()).isFalse();
        screenshot("patient-form-session-ended");
        assertThat(script("return sessionStorage.getItem('twitch-triage.answers')"))
                .asString()
                .contains("calf-foot")
                .doesNotContain(expired);

        String fresh = issue(TestTokens.patient(patient, SCOPES_SUBMITTED).build());
        find("relaunch").click();
        awaitTheForm();
        assertThat(find("form-status").getText()).contains("earlier answers");
        assertThat(selected(find("locations/1/1|" + CODES + "twitch-location|calf-foot")))
                .isTrue();
        assertThat(selected(find("numbness-tingling/1/1|false"))).isTrue();
        send();
        assertResult("self-care", "Self-care");
        assertTheSubmissionIsThePatients();
        assertThat(script("return sessionStorage.getItem('twitch-triage.answers')"))
                .as("cleared after the submission")
                .isNull();
        assertTheTokensWereInNoUrl(expired, fresh);
    }

    @Test
    void theFormOpenedWithoutALaunchSendsThePatientToTheirPortal() {
        browser.get(base() + "/?patient=Patient/" + patient);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-status"), "patient portal"));
        assertThat(find("patient-field").isDisplayed())
                .as("no typed patient in secured mode")
                .isFalse();
        assertThat(find("patient-fixed").isDisplayed()).isFalse();
        assertThat(find("submit").isEnabled()).isFalse();
    }

    @Test
    void theLaunchPageRefusesAnUntrustedIssuer() {
        browser.get(base() + "/launch?iss=" + encode("https://evil.example.test/fhir") + "&launch=x");
        assertThat(find("launch-refused").getText()).contains("not one this checklist trusts");
        assertThat(browser.getCurrentUrl()).startsWith(base());
    }

    private String issue(String token) {
        TestTokens.answerCodeExchangesWith(token, patient, "launch " + SCOPES_SUBMITTED);
        return token;
    }

    private void launch(String launchParameter) {
        browser.get(base() + "/launch?iss=" + encode(base() + "/fhir") + launchParameter);
        awaitTheForm();
        assertThat(browser.getCurrentUrl())
                .as("code and state leave the address")
                .isEqualTo(base() + "/");
    }

    private void awaitTheForm() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-fixed"), "Answering as"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[id^='item-numbness-tingling/']")));
    }

    private void assertTheSubmissionIsThePatients() {
        String reference = find("result-reference").getText();
        String system = TestTokens.system("system/QuestionnaireResponse.rs").build();
        QuestionnaireResponse stored =
                parse(QuestionnaireResponse.class, get("/" + reference, "Authorization", "Bearer " + system));
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + patient);
    }

    private void assertThePkceVerifierMatchesTheChallenge(String challenge) {
        List<LoggedRequest> exchanges = TestTokens.requestsTo("token");
        Map<String, String> exchange = form(exchanges.get(exchanges.size() - 1).getBodyAsString());
        assertThat(exchange)
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("client_id", "twitch-triage-form")
                .doesNotContainKey("client_secret");
        assertThat(s256(exchange.get("code_verifier"))).isEqualTo(challenge);
    }

    /** Neither in any request or navigation of the browser (so not in its history), nor in local storage. */
    private void assertTheTokensWereInNoUrl(String... tokens) {
        List<String> urls = visitedUrls();
        assertThat(urls)
                .as("the browser's requests and navigations were recorded")
                .isNotEmpty();
        assertThat(urls).anySatisfy(url -> assertThat(url).contains("/realm/authorize"));
        assertThat(urls).anySatisfy(url -> assertThat(url).contains("code="));
        assertThat(urls).noneSatisfy(url -> assertThat(url).containsIgnoringCase("access_token"));
        for (String token : tokens) {
            assertThat(urls).noneSatisfy(url -> assertThat(url).contains(token));
            assertThat(script("return JSON.stringify(localStorage)")).asString().doesNotContain(token);
        }
    }

    private static Map<String, String> query(LoggedRequest request) {
        return UriComponentsBuilder.fromUriString(request.getUrl())
                .build()
                .getQueryParams()
                .toSingleValueMap()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> java.net.URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8)));
    }

    private static Map<String, String> form(String body) {
        return java.util.Arrays.stream(body.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        pair -> pair[0],
                        pair -> java.net.URLDecoder.decode(pair.length > 1 ? pair[1] : "", StandardCharsets.UTF_8)));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
