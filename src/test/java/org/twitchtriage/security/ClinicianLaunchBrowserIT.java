package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Sandbox;

/**
 * The clinician EHR launch in the browser, against the sandbox: the launcher plays the EHR, the clinician signs
 * in at the sandbox's authorization server, and the worklist opens filtered to the launch's patient, showing
 * the result the patient submitted.
 */
@ActiveProfiles("sandbox")
class ClinicianLaunchBrowserIT extends BrowserTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Sandbox.configure(registry);
    }

    @Test
    void fromTheLauncherTheClinicianSignsInAndSeesThePatientsResults() {
        String token = new Sandbox(port)
                .patientToken("launch/patient openid fhirUser patient/QuestionnaireResponse.cru")
                .path("access_token")
                .asText();
        HttpResponse<String> submitted = post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign()
                        .answer("numbness-tingling", true)
                        .subject("Patient/" + Sandbox.PATIENT)
                        .build()),
                "Authorization",
                "Bearer " + token);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);

        // The patient signed in at the sandbox in this same browser first, as when one person tries both sides.
        Sandbox http = new Sandbox(port);
        browser.get(base() + "/oauth2/authorize?"
                + form(http.formAuthorization(
                        "launch/patient openid fhirUser patient/QuestionnaireResponse.cru", Sandbox.Pkce.make())));
        signIn("patient");
        // Signed in once the authorization server sends the browser back to the form page; the page may already
        // have taken the code out of the address by the time it is looked at.
        wait.until(d -> {
            String url = d.getCurrentUrl();
            return url.startsWith(base() + "/") && !url.contains("/sandbox/login") && !url.contains("/oauth2/");
        });

        browser.get(base() + "/sandbox/launcher");
        screenshot("sandbox-launcher");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("launch-clinician")))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/sandbox/login");
        assertThat(find("needed").getText()).contains("Sign in as the demo clinician");
        screenshot("sandbox-sign-in");
        signIn("clinician");

        wait.until(ExpectedConditions.urlContains("/clinician/?patient="));
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/clinician/?patient=Patient%2F" + Sandbox.PATIENT);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rows tr")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#rows tr"));
        assertThat(rows).isNotEmpty();
        assertThat(rows).allSatisfy(row -> assertThat(row.getText()).contains("Patient/" + Sandbox.PATIENT));
        assertThat(rows.get(0).getText()).contains("Urgent");
        assertThat(find("patient").getAttribute("value")).isEqualTo("Patient/" + Sandbox.PATIENT);
        screenshot("clinician-launch-worklist");
    }

    private void signIn(String user) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        find("username").sendKeys(user);
        find("password").sendKeys(user);
        find("sign-in").click();
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
