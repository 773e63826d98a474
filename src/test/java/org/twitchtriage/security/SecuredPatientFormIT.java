package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * The patient form in secured mode, in the browser: the portal opens it with the patient's access token in
 * the address's fragment; the page sends it, drops it from the address bar, and explains a refusal.
 */
class SecuredPatientFormIT extends BrowserTest {

    private final String patient = "form-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
    }

    @Test
    void thePortalsTokenSubmitsTheAnswersAndLeavesTheAddressBar() {
        String token =
                TestTokens.patient(patient, "patient/QuestionnaireResponse.c").build();
        openForm("?patient=Patient/" + patient + "#access_token=" + token);
        assertThat(browser.getCurrentUrl()).doesNotContain("access_token").doesNotContain(token);
        fillBenign();
        send();
        assertResult("self-care", "Self-care");
    }

    @Test
    void withoutATokenOrForAnotherPatientThePatientIsSentBackToTheirPortal() {
        openForm("?patient=Patient/" + patient);
        fillBenign();
        send();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")))
                        .getText())
                .contains("patient portal");

        String someoneElses = TestTokens.patient("someone-else", "patient/QuestionnaireResponse.c")
                .build();
        openForm("?patient=Patient/" + patient + "#access_token=" + someoneElses);
        fillBenign();
        send();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")))
                        .getText())
                .contains("patient portal");
        assertThat(find("result").isDisplayed()).isFalse();
    }
}
