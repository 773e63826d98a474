package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
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

        browser.get(base() + "/sandbox/launcher");
        screenshot("sandbox-launcher");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("launch-clinician")))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/sandbox/login");
        screenshot("sandbox-sign-in");
        find("username").sendKeys("clinician");
        find("password").sendKeys("clinician");
        find("sign-in").click();

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
}
