package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.TestDatabase;

/**
 * The pages end to end in the system's headless Chromium: a patient fills in the form (a self-care case and an
 * urgent one) and sees the right guidance; a clinician finds the urgent case first, opens it and marks it
 * reviewed. Screenshots go to target/screenshots. Orders are proposals here, so the page offers approval too.
 */
class PagesBrowserIT extends BrowserTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configureIsolated(registry, "pages");
        registry.add("triage.intent", () -> "proposal");
    }

    @Test
    void aPatientGetsTheirGuidanceAndAClinicianReviewsTheUrgentCaseFirst() {
        // A self-care case, typed in by a patient trying the form with the example reference.
        openForm("");
        fillBenign();
        screenshot("patient-form");
        send();
        assertResult("self-care", "Self-care");
        assertThat(find("result-action").isDisplayed()).as("no call to action for self-care").isFalse();
        screenshot("patient-result-self-care");

        // An urgent case, from a portal that names the patient in the address.
        openForm("?patient=Patient/example-2");
        assertThat(find("patient-fixed").getText()).contains("Patient/example-2");
        fillBenign();
        choose("numbness-tingling", "true");
        send();
        assertResult("urgent", "Urgent neurological assessment");
        assertThat(find("result-action").isDisplayed()).as("urgent levels ask the patient to act today").isTrue();
        screenshot("patient-result-urgent");

        // The clinician's worklist: the urgent case first.
        browser.get(base() + "/clinician");
        List<WebElement> rows = wait.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#rows tr"));
            return found.size() >= 2 ? found : null;
        });
        assertThat(rows.get(0).getAttribute("data-level")).isEqualTo("urgent");
        assertThat(rows.get(0).getText()).contains("Patient/example-2").contains("Numbness, tingling")
                .contains("Referral to neurology service").contains("Pending").contains("Not reviewed");
        assertThat(rows.stream().map(r -> r.getAttribute("data-level")).toList()).contains("self-care");
        screenshot("clinician-worklist");

        // Its details, then mark reviewed.
        String id = rows.get(0).getAttribute("data-submission");
        rows.get(0).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.textToBe(By.id("heading"), "Triage result: Urgent neurological assessment"));
        WebElement content = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("content")));
        assertThat(content.getText()).contains("Do you have numbness, or pins and needles, anywhere?")
                .contains("Numbness, tingling, speech, swallowing or coordination changes: fired")
                .contains("Observation/" + id).contains("Communication/" + id).contains("Provenance/" + id)
                .contains("Triage results").contains("Pending");
        screenshot("clinician-result");
        find("mark-reviewed").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"),
                "Marked reviewed by development"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("review"), "Task/" + id + "-review"));
        assertThat(find("mark-reviewed").isDisplayed()).isFalse();
        screenshot("clinician-result-reviewed");
        Bundle tasks = parse(Bundle.class, get("/Task?focus=Observation/" + id));
        assertThat(tasks.getEntry()).hasSize(1);
        Task task = (Task) tasks.getEntryFirstRep().getResource();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(task.getFor().getReference()).isEqualTo("Patient/example-2");

        // Orders are proposals here: approving them makes orders.
        find("approve").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "Approved: 2 order(s)"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("orders"), "based on ServiceRequest/"));
    }

    @Test
    void theFormRendersEveryItemOnAPhoneAndItsResponseIsAccepted() {
        browser.manage().window().setSize(new Dimension(375, 812));
        openForm("?patient=Patient/example-3");
        choose("weakness", "true");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("weakness-progressive/1/1|true")));
        Questionnaire questionnaire = parse(Questionnaire.class, get("/Questionnaire/muscle-twitch-checklist"));
        List<String> linkIds = new ArrayList<>();
        collect(questionnaire.getItem(), linkIds);
        assertThat(linkIds).hasSize(15);
        for (String linkId : linkIds) {
            assertThat(browser.findElements(By.cssSelector("[id^='item-" + linkId + "/']")))
                    .as("item %s on the page", linkId).isNotEmpty();
        }
        fillBenign();
        choose("weakness", "true");
        choose("weakness-progressive", "true");
        choose("triggers", CODES + "twitch-trigger|poor-sleep");
        long width = (Long) script("return document.documentElement.scrollWidth");
        assertThat(width).as("no sideways scrolling at phone width").isLessThanOrEqualTo(375);
        send();
        assertResult("soon", "See a neurologist soon");
        screenshot("patient-result-phone");

        String reference = find("result-reference").getText();
        QuestionnaireResponse stored = parse(QuestionnaireResponse.class, get("/" + reference));
        List<String> answered = new ArrayList<>();
        collectAnswered(stored.getItem(), answered);
        assertThat(answered).containsExactlyElementsOf(linkIds.stream()
                .filter(l -> !List.of("about", "checklist", "other-symptoms").contains(l)).toList());
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/example-3");
        assertThat(stored.getQuestionnaire()).isEqualTo(questionnaire.getUrl() + "|" + questionnaire.getVersion());
        assertThat(stored.getIdentifier().getValue()).startsWith("urn:uuid:");
    }

    @Test
    void theServersObjectionsAreShownInWordsBesideTheForm() {
        openForm("");
        fillBenign();
        // A renderer that sent a code the Questionnaire does not offer: the module refuses it with 422.
        script("const build = LForms.Util.getFormFHIRData; LForms.Util.getFormFHIRData = function () {"
                + " const response = build.apply(this, arguments);"
                + " response.item[0].item[1].answer[0].valueCoding.code = 'forever'; return response; };");
        send();
        WebElement problems = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")));
        assertThat(problems.getText()).contains("“How long has the twitching been going on?”")
                .contains("not one of its permitted answers");
        assertThat(find("result").isDisplayed()).isFalse();

        find("patient").clear();
        find("patient").sendKeys("someone");
        send();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problems"), "Patient/example-1"));
    }

    @Test
    void theFormSaysWhichRequiredQuestionsAreUnanswered() {
        openForm("");
        choose("locations", CODES + "twitch-location|eyelid");
        send();
        WebElement problems = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")));
        assertThat(problems.getText()).contains("How long has the twitching been going on?")
                .contains("Do you have numbness, or pins and needles, anywhere?")
                .doesNotContain("Warning signs");
    }

    private static void collect(List<Questionnaire.QuestionnaireItemComponent> items, List<String> into) {
        for (Questionnaire.QuestionnaireItemComponent item : items) {
            into.add(item.getLinkId());
            collect(item.getItem(), into);
        }
    }

    private static void collectAnswered(List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items,
            List<String> into) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : items) {
            if (item.hasAnswer()) {
                into.add(item.getLinkId());
            }
            collectAnswered(item.getItem(), into);
        }
    }
}
