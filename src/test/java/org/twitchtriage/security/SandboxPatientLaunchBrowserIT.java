package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.Sandbox;

/**
 * The patient form's SMART launches in the browser against a real authorization server, the sandbox's: the
 * launcher plays the EHR (an EHR launch with its {@code launch} id) or the patient opens the standalone launch
 * address; the demo patient signs in; the form submits for the patient the token response names, and the
 * access token never appears in an address.
 */
@ActiveProfiles("sandbox")
class SandboxPatientLaunchBrowserIT extends BrowserTest {

    /** The access token where the SMART client keeps it, the tab's session storage. */
    private static final String TOKEN = "const key = sessionStorage.getItem('SMART_KEY');"
            + " return JSON.parse(sessionStorage.getItem(JSON.parse(key))).tokenResponse.access_token;";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Sandbox.configure(registry);
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
        browser.get(base() + "/css/pages.css");
        script("sessionStorage.clear(); localStorage.clear();");
        visitedUrls();
    }

    @Test
    void anEhrLaunchFromTheLauncherSignsInTheDemoPatientAndSubmits() {
        browser.get(base() + "/sandbox/launcher");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("launch-patient")))
                .click();
        signInAsThePatient();
        submitAndCheck("sandbox-patient-form-launched");
    }

    @Test
    void aStandaloneLaunchSignsInTheDemoPatientAndSubmits() {
        browser.get(base() + "/sandbox/launcher");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("standalone"))).click();
        signInAsThePatient();
        submitAndCheck("sandbox-patient-form-standalone");
    }

    @Test
    void aCodeThatComesBackWithAStateThisBrowserDidNotSendIsRefused() {
        // The browser starts a launch and waits at the sign-in page; its SMART client keeps the state it sent.
        browser.get(base() + "/launch?iss=" + URLEncoder.encode(base() + "/fhir", StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        // Someone else's authorization, with a state of their own: a real, unused code.
        Sandbox someoneElse = new Sandbox(port);
        Sandbox.Pkce pkce = Sandbox.Pkce.make();
        URI back = someoneElse.authorizeSigningIn(
                someoneElse.formAuthorization("launch/patient openid patient/QuestionnaireResponse.cru", pkce),
                "patient");
        Map<String, String> redirect = Sandbox.query(back);
        browser.get(base() + "/?code=" + redirect.get("code") + "&state=" + redirect.get("state"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-status"), "patient portal"));
        assertThat(find("submit").isEnabled()).isFalse();
        assertThat(find("patient-fixed").isDisplayed()).isFalse();
        assertThat(someoneElse.token(redirect.get("code"), pkce).statusCode())
                .as("the browser never redeemed the code")
                .isEqualTo(200);
    }

    @Test
    void aTokenTheModuleNoLongerAcceptsIsRenewedByARelaunchThatKeepsTheAnswers() {
        browser.get(base() + "/sandbox/launcher");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("standalone"))).click();
        signInAsThePatient();
        fillBenign();
        choose("numbness-tingling", "true");
        // The answers reach the tab's session storage as they are given, the last one too.
        wait.until(d -> Boolean.TRUE.equals(
                script("const saved = JSON.parse(sessionStorage.getItem('twitch-triage.answers') || 'null');"
                        + " const all = items => (items || []).flatMap(i => [i, ...all(i.item)]);"
                        + " const item = saved && all(saved.response.item).find(i => i.linkId === 'numbness-tingling');"
                        + " return !!item && item.answer[0].valueBoolean === true;")));
        // The token stops being accepted (as when it expires): its signature no longer matches.
        String token = (String) script(TOKEN);
        script("const key = JSON.parse(sessionStorage.getItem('SMART_KEY'));"
                + " const state = JSON.parse(sessionStorage.getItem(key));"
                + " state.tokenResponse.access_token = state.tokenResponse.access_token.slice(0, -6) + 'AAAAAA';"
                + " sessionStorage.setItem(key, JSON.stringify(state));");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-ended")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        assertThat(find("form-status").getText()).contains("earlier answers");
        send();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("relaunch")));
        assertThat(find("result").isDisplayed()).isFalse();

        find("relaunch").click();
        // Still signed in at the authorization server: straight back to the form, with a new token.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-status"), "earlier answers"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        assertThat(selected(find("numbness-tingling/1/1|true"))).isTrue();
        assertThat(selected(find("locations/1/1|" + CODES + "twitch-location|calf-foot")))
                .isTrue();
        String renewed = (String) script(TOKEN);
        assertThat(renewed).isNotEqualTo(token);
        send();
        assertResult("urgent", "Urgent neurological assessment");
        QuestionnaireResponse stored = parse(
                QuestionnaireResponse.class,
                get("/" + find("result-reference").getText(), "Authorization", "Bearer " + renewed));
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + Sandbox.PATIENT);
        List<String> urls = visitedUrls();
        assertThat(urls).noneSatisfy(url -> assertThat(url).contains(renewed));
        assertThat(urls).noneSatisfy(url -> assertThat(url).contains(token));
    }

    private void signInAsThePatient() {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        find("username").sendKeys("patient");
        find("password").sendKeys("patient");
        find("sign-in").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-fixed"), "Answering as"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[id^='item-numbness-tingling/']")));
    }

    private void submitAndCheck(String screenshot) {
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/");
        assertThat(find("patient-fixed").getText()).isEqualTo("Answering as Patient/" + Sandbox.PATIENT + ".");
        fillBenign();
        screenshot(screenshot);
        send();
        assertResult("self-care", "Self-care");

        String token = (String) script(TOKEN);
        assertThat(token).isNotBlank();
        QuestionnaireResponse stored = parse(
                QuestionnaireResponse.class,
                get("/" + find("result-reference").getText(), "Authorization", "Bearer " + token));
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + Sandbox.PATIENT);

        List<String> urls = visitedUrls();
        assertThat(urls).anySatisfy(url -> assertThat(url).contains("/oauth2/authorize"));
        assertThat(urls).anySatisfy(url -> assertThat(url).contains("code="));
        assertThat(urls).noneSatisfy(url -> assertThat(url).contains(token));
        assertThat(urls).noneSatisfy(url -> assertThat(url).containsIgnoringCase("access_token"));
        assertThat(script("return JSON.stringify(localStorage)")).asString().doesNotContain(token);
    }
}
