package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.delivery.ResultNeedsAttention;
import org.twitchtriage.questionnaire.Versions;
import org.twitchtriage.testing.BrowserTest;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.TestDatabase;

/**
 * The pages end to end in the system's headless Chromium: a patient fills in the form (a self-care case and an
 * urgent one) and sees the right guidance; a clinician finds the urgent case first, opens it and marks it
 * reviewed. Screenshots go to target/screenshots. Orders are proposals here, so the page offers approval too.
 */
class PagesBrowserIT extends BrowserTest {

    private static final String GUIDANCE_PART = "http://twitchtriage.org/fhir/StructureDefinition/guidance-part";

    @Autowired
    private ApplicationEventPublisher events;

    @Autowired
    private PlatformTransactionManager transactions;

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
        assertTheBannerShowsTheTimeFrameOfTheGuidance();
        screenshot("patient-result-self-care");

        // An urgent case, from a portal that names the patient in the address.
        openForm("?patient=Patient/example-2");
        assertThat(find("patient-fixed").getText()).contains("Patient/example-2");
        fillBenign();
        choose("numbness-tingling", "true");
        send();
        assertResult("urgent", "Urgent neurological assessment");
        assertTheBannerShowsTheTimeFrameOfTheGuidance();
        assertThat(find("result").getText())
                .as("the page adds no urgency words of its own")
                .doesNotContain("Please act on this today");
        screenshot("patient-result-urgent");

        // The clinician's worklist: the urgent case first.
        browser.get(base() + "/clinician");
        List<WebElement> rows = wait.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#rows tr"));
            return found.size() >= 2 ? found : null;
        });
        assertThat(rows.get(0).getAttribute("data-level")).isEqualTo("urgent");
        assertThat(rows.get(0).getText())
                .contains("Patient/example-2")
                .contains("Numbness, tingling")
                .contains("Referral to neurology service")
                .contains("Pending")
                .contains("Not reviewed");
        assertThat(rows.stream().map(r -> r.getAttribute("data-level")).toList())
                .contains("self-care");
        screenshot("clinician-worklist");

        // Its details, then mark reviewed.
        String id = rows.get(0).getAttribute("data-submission");
        rows.get(0).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.textToBe(By.id("heading"), "Triage result: Urgent neurological assessment"));
        WebElement content = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("content")));
        assertThat(content.getText())
                .contains("Do you have numbness, or pins and needles, anywhere?")
                .contains("Numbness, tingling, speech, swallowing or coordination changes: fired")
                .contains("Observation/" + id)
                .contains("Communication/" + id)
                .contains("Provenance/" + id)
                .contains("Triage results")
                .contains("Pending");
        screenshot("clinician-result");
        find("mark-reviewed").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("action-result"), "Marked reviewed by development"));
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
    void aClinicianOverridesAResultWithAReasonAndTheWorklistCountsItPerRuleAndLevel() {
        String id = submit(benign().answer("spreading", true).subject("Patient/example-30"));
        openResult(id);

        script("arguments[0].scrollIntoView({block: 'start'});", find("verdict"));
        assertThat(find("reason-field").isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("input[name='outcome'][value='overridden']"))
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason")));
        find("give-verdict").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdict-result"), "Choose a reason"));
        new org.openqa.selenium.support.ui.Select(find("reason")).selectByValue("already-assessed");
        find("comment").sendKeys("Seen in clinic last week");
        find("give-verdict").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdicts"), "Seen in clinic last week"));
        assertThat(find("verdict-result").getText()).isEqualTo("Overridden by development.");
        assertThat(find("verdicts").getText())
                .contains("Overridden (Already assessed or under care for this) by development");
        screenshot("clinician-result-verdict");

        browser.get(base() + "/clinician");
        WebElement rule = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#feedback-rules tr[data-code='spreading']")));
        script("arguments[0].scrollIntoView({block: 'start'});", find("rule-feedback"));
        assertThat(rule.getText()).contains("Already assessed or under care for this: 1");
        assertThat(find("feedback-levels")
                        .findElement(By.cssSelector("tr[data-code='soon']"))
                        .getText())
                .contains("See a neurologist soon");
        screenshot("clinician-rule-feedback");
    }

    @Test
    void theFormRendersEveryItemOnAPhoneAndItsResponseIsAccepted() {
        browser.manage().window().setSize(new Dimension(375, 812));
        openForm("?patient=Patient/example-3");
        choose("weakness", "true");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("weakness-progressive/1/1|true")));
        Questionnaire questionnaire = newestActiveChecklist();
        List<Questionnaire.QuestionnaireItemComponent> items = new ArrayList<>();
        collect(questionnaire.getItem(), items);
        assertThat(items).hasSizeGreaterThanOrEqualTo(15);
        for (Questionnaire.QuestionnaireItemComponent item : items) {
            if (item.getType() == Questionnaire.QuestionnaireItemType.DISPLAY) {
                assertThat(find("form-container").getText())
                        .as("display item %s", item.getLinkId())
                        .contains(item.getText());
            } else {
                assertThat(browser.findElements(By.cssSelector("[id^='item-" + item.getLinkId() + "/']")))
                        .as("item %s on the page", item.getLinkId())
                        .isNotEmpty();
            }
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
        assertThat(answered)
                .as("every question of the newest version, answered")
                .containsExactlyElementsOf(items.stream()
                        .filter(i -> i.getType() != Questionnaire.QuestionnaireItemType.GROUP
                                && i.getType() != Questionnaire.QuestionnaireItemType.DISPLAY)
                        .map(Questionnaire.QuestionnaireItemComponent::getLinkId)
                        .toList());
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
        assertThat(problems.getText())
                .contains("“How long has the twitching been going on?”")
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
        assertThat(problems.getText())
                .contains("How long has the twitching been going on?")
                .contains("Do you have numbness, or pins and needles, anywhere?")
                .doesNotContain("Warning signs");
    }

    /**
     * The banner takes its words from the guidance Communication's time-frame paragraph, whatever the level, and
     * is not shown when there is none. The module's answer is rewritten in the browser to carry a made-up time
     * frame, then none, so this holds whichever time frames the published rules give.
     */
    @Test
    void theResultBannerShowsTheTimeFrameTheGuidanceGives() {
        openForm("");
        script(
                "const part = arguments[0]; const original = window.fetch; window.fetch = async function (input) {"
                        + " const response = await original.apply(this, arguments);"
                        + " if (!String(input).includes('$submit')) { return response; }"
                        + " const bundle = await response.json();"
                        + " bundle.entry.map(e => e.resource).filter(r => r.resourceType === 'Communication').forEach(c => {"
                        + "   c.payload = (c.payload || []).filter(p => !(p.extension || []).some(x => x.url === part"
                        + "     && x.valueCode === 'time-frame'));"
                        + "   if (window.testTimeFrame) { c.payload.splice(1, 0, { extension: [{ url: part,"
                        + "     valueCode: 'time-frame' }], contentString: window.testTimeFrame }); } });"
                        + " return new Response(JSON.stringify(bundle), { status: response.status, headers: response.headers });"
                        + " }; window.testTimeFrame = 'Within 9 days (a made-up time frame)';",
                GUIDANCE_PART);
        fillBenign();
        send();
        assertResult("self-care", "Self-care");
        assertThat(find("result-action").isDisplayed()).isTrue();
        assertThat(find("result-time-frame").getText()).isEqualTo("Within 9 days (a made-up time frame)");
        assertThat(find("result-guidance").getText())
                .as("said once, in the banner")
                .doesNotContain("a made-up time frame");

        script("window.testTimeFrame = null;");
        send();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("result-action")));
        assertThat(find("result-time-frame").getText()).isEmpty();
    }

    /**
     * Where each answer is drawn, not only that it is on the page: for one result of every level, at desktop
     * and at phone width, every answered question has its own answer beside it (same row) or, where the
     * layout stacks them, directly under it and above the next question.
     */
    @Test
    void everyAnswerIsDrawnOnTheRowOfItsOwnQuestionAtEveryWidth() {
        Map<String, String> results = new LinkedHashMap<>();
        results.put("self-care", submit(benign()));
        results.put("monitor", submit(benign().codes("locations", "eyelid", "face")));
        results.put(
                "soon",
                submit(benign().codes("triggers", "caffeine", "poor-sleep")
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)));
        results.put("urgent", submit(benign().answer("numbness-tingling", true)));
        QuestionnaireResponse named =
                benign().answer("muscle-loss", true).answer("spreading", true).build();
        named.getSubject().setDisplay("Test patient 5");
        results.put("immediate", submit(named));
        ClinicianApi api = new ClinicianApi(port);

        for (Dimension size : List.of(new Dimension(1280, 1000), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            boolean phone = size.getWidth() < 600;
            results.forEach((level, id) -> {
                JsonNode detail = api.result(id);
                assertThat(detail.get("summary").get("level").get("code").asText())
                        .isEqualTo(level);
                openResult(id);
                if (!phone) {
                    assertTheExplanationIsShownAsRecorded(id);
                }
                assertThat((Boolean) script("const page = document.documentElement;"
                                + " return page.scrollWidth <= page.clientWidth;"))
                        .as("no sideways scrolling")
                        .isTrue();
                List<Map<String, Object>> drawn = drawnAnswers();
                Map<String, String> expected = answeredQuestions(detail);
                assertThat(drawn)
                        .extracting(d -> (String) d.get("linkId"))
                        .as("every answered question of the %s result is shown", level)
                        .containsExactlyElementsOf(expected.keySet());
                for (int i = 0; i < drawn.size(); i++) {
                    Map<String, Object> row = drawn.get(i);
                    String what = level + " at " + size.getWidth() + " px, " + row.get("linkId");
                    assertThat(row.get("answer")).as(what).isEqualTo(expected.get((String) row.get("linkId")));
                    assertDrawnWithItsQuestion(row, i + 1 < drawn.size() ? drawn.get(i + 1) : null, phone, what);
                }
                screenshot("clinician-result-" + level + (phone ? "-phone" : "-desktop"));
            });
        }
    }

    /**
     * A corrected result comes back unreviewed, marked with the level it changed from, under its level badge; a
     * retracted one is marked so; what needs attention is said beside the review. The result's page lists its
     * versions newest first, each with its level, its orders and the reviews made while it was current.
     */
    @Test
    void aCorrectedResultIsMarkedAndItsVersionsAreListed() {
        ClinicianApi api = new ClinicianApi(port);
        String corrected = submit(benign().answer("numbness-tingling", true).subject("Patient/example-8"));
        ClinicianApi.body(api.post("/results/" + corrected + "/review"), 201);
        amend(corrected, benign().subject("Patient/example-8").status(QuestionnaireResponseStatus.AMENDED));
        new TransactionTemplate(transactions)
                .executeWithoutResult(status -> events.publishEvent(new ResultNeedsAttention(
                        corrected, "The EHR had completed the MRI referral; it was left as the EHR has it.")));
        String retracted = submit(benign().answer("spreading", true).subject("Patient/example-9"));
        amend(
                retracted,
                benign().answer("spreading", true)
                        .subject("Patient/example-9")
                        .status(QuestionnaireResponseStatus.ENTEREDINERROR));

        browser.get(base() + "/clinician/?reviewed=false");
        WebElement row =
                wait.until(d -> d.findElements(By.cssSelector("#rows tr[data-submission='" + corrected + "']")).stream()
                        .findFirst()
                        .orElse(null));
        WebElement marker = row.findElement(By.cssSelector("[data-change]"));
        assertThat(marker.getText()).isEqualTo("Changed from Urgent neurological assessment to Self-care");
        WebElement badge = row.findElement(By.cssSelector(".level"));
        assertThat(marker.getRect().getY())
                .as("the change is drawn under the level badge")
                .isGreaterThanOrEqualTo(badge.getRect().getY() + badge.getRect().getHeight());
        assertThat(row.findElements(By.tagName("td")).get(0).getRect().getX())
                .isLessThanOrEqualTo(marker.getRect().getX());
        assertThat(row.getText()).contains("Not reviewed").contains("revoked");
        assertThat(row.findElement(By.cssSelector("[data-attention]")).getText())
                .isEqualTo("Needs attention: The EHR had completed the MRI referral; it was left as the EHR has it.");
        WebElement gone = browser.findElement(By.cssSelector("#rows tr[data-submission='" + retracted + "']"));
        assertThat(gone.findElement(By.cssSelector("[data-change]")).getText())
                .isEqualTo("Retracted (entered in error)");
        assertThat((Boolean)
                        script("const page = document.documentElement; return page.scrollWidth <= page.clientWidth;"))
                .as("no sideways scrolling")
                .isTrue();
        screenshot("clinician-worklist-corrected");

        openResult(corrected);
        assertThat(find("heading").getText()).isEqualTo("Triage result: Self-care");
        assertThat(find("level").getText()).contains("Changed from Urgent neurological assessment to Self-care");
        assertThat(find("version").getText()).isEqualTo("Version 2 of the response (amended)");
        assertThat(find("review").getText()).isEqualTo("Not reviewed as it stands now");
        List<WebElement> versions = browser.findElements(By.cssSelector("#versions > tr"));
        assertThat(versions).extracting(v -> v.getAttribute("data-version")).containsExactly("2", "1");
        assertThat(versions.get(0).getText())
                .contains("Version 2 (amended)")
                .contains("Current")
                .contains("Self-care")
                .contains("Referral to neurology service (proposal, urgent): revoked");
        assertThat(versions.get(1).getText())
                .contains("Version 1 (completed)")
                .contains("Urgent neurological assessment")
                .contains("Referral to magnetic resonance imaging service (proposal, urgent): active")
                .contains("Reviewed by development");
        assertThat(versions.get(0).getRect().getY())
                .isLessThan(versions.get(1).getRect().getY());
        screenshot("clinician-result-versions");

        browser.manage().window().setSize(new Dimension(390, 844));
        openResult(corrected);
        assertThat((Long) script("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling at phone width")
                .isLessThanOrEqualTo(390);
        List<WebElement> stacked = browser.findElements(By.cssSelector("#versions > tr:first-child > td"));
        for (int i = 0; i + 1 < stacked.size(); i++) {
            assertThat(stacked.get(i + 1).getRect().getY())
                    .as("at phone width each cell of a version sits under the one before")
                    .isGreaterThan(stacked.get(i).getRect().getY());
        }
        assertThat(stacked.get(3).getAttribute("data-label")).isEqualTo("Orders");
        screenshot("clinician-result-versions-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));

        openResult(retracted);
        assertThat(find("heading").getText()).isEqualTo("Triage result: See a neurologist soon (retracted)");
        assertThat(find("approve").isDisplayed())
                .as("nothing to approve in a retracted result")
                .isFalse();
    }

    private void amend(String id, ChecklistResponses response) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(body));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private void openResult(String id) {
        browser.get(base() + "/clinician/result.html?id=" + id);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("content")));
    }

    /** Each question the page draws with an answer, its answer's text, and both boxes (left, top, right, bottom). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> drawnAnswers() {
        return (List<Map<String, Object>>) script("return [...document.querySelectorAll('#answers dt[data-link-id]')]"
                + ".filter(q => q.nextElementSibling && !q.nextElementSibling.classList.contains('unanswered')"
                + " && q.nextElementSibling.textContent.trim() !== '')"
                + ".map(q => { const a = q.nextElementSibling; const box = e => { const r = e.getBoundingClientRect();"
                + " return [r.left, r.top, r.right, r.bottom]; };"
                + " return { linkId: q.dataset.linkId, answer: a.textContent.trim(), question: box(q), drawn: box(a) };"
                + " });");
    }

    /**
     * The explanation as triage recorded it on the Observation (its notes and its components' words), never an
     * expression; with the Questionnaire version the response cites, the rules version, and the subject's
     * display when the response gives one.
     */
    private void assertTheExplanationIsShownAsRecorded(String id) {
        Observation observation = parse(Observation.class, get("/Observation/" + id));
        QuestionnaireResponse response = parse(QuestionnaireResponse.class, get("/QuestionnaireResponse/" + id));
        String explanation = find("explanation").getText();
        assertThat(explanation).doesNotContain("repeat(", "linkId", "where(");
        assertThat(browser.findElements(By.cssSelector("#notes li")))
                .extracting(WebElement::getText)
                .containsExactlyElementsOf(
                        observation.getNote().stream().map(n -> n.getText()).toList());
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            assertThat(find("rules").getText()).contains(component.getCode().getText());
        }
        String rules = observation.getMethod().getText();
        assertThat(find("rules-version").getText())
                .contains("version " + rules.substring(rules.indexOf('|') + 1))
                .contains(rules);
        String cited = response.getQuestionnaire();
        assertThat(find("questionnaire").getText())
                .contains("version " + cited.substring(cited.indexOf('|') + 1))
                .contains(cited);
        assertThat(find("patient").getText()).contains(response.getSubject().getReference());
        if (response.getSubject().hasDisplay()) {
            assertThat(find("patient").getText()).contains(response.getSubject().getDisplay());
        }
    }

    /** The answered questions of a result's details, in order, with their answers as the page joins them. */
    private static Map<String, String> answeredQuestions(JsonNode detail) {
        Map<String, String> answered = new LinkedHashMap<>();
        detail.get("answers").forEach(answer -> {
            if (!answer.get("group").asBoolean() && !answer.get("answers").isEmpty()) {
                answered.put(
                        answer.get("linkId").asText(),
                        String.join(", ", ClinicianApi.texts(answer.get("answers"), null)));
            }
        });
        return answered;
    }

    /**
     * Beside: the answer's top within a few pixels of the question's and the answer to its right. Stacked (phone
     * width only): the answer starts just under the question, aligned with it. Either way it ends before the
     * next question starts, so it cannot be read as that question's answer.
     */
    private static void assertDrawnWithItsQuestion(
            Map<String, Object> row, Map<String, Object> next, boolean phone, String what) {
        double[] question = box(row.get("question"));
        double[] answer = box(row.get("drawn"));
        boolean beside = Math.abs(answer[1] - question[1]) <= 4 && answer[0] >= question[2] - 1;
        boolean under =
                answer[1] >= question[3] - 1 && answer[1] - question[3] <= 16 && Math.abs(answer[0] - question[0]) <= 4;
        assertThat(beside || (phone && under))
                .as("%s: answer drawn at %s, question at %s", what, Arrays.toString(answer), Arrays.toString(question))
                .isTrue();
        if (next != null) {
            assertThat(answer[3])
                    .as("%s: the answer ends before the next question starts", what)
                    .isLessThanOrEqualTo(box(next.get("question"))[1] + 1);
        }
    }

    private static double[] box(Object values) {
        return ((List<?>) values)
                .stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static void collect(
            List<Questionnaire.QuestionnaireItemComponent> items, List<Questionnaire.QuestionnaireItemComponent> into) {
        for (Questionnaire.QuestionnaireItemComponent item : items) {
            into.add(item);
            collect(item.getItem(), into);
        }
    }

    /** The checklist version the form must render: the highest active one, whatever versions are published. */
    private Questionnaire newestActiveChecklist() {
        Bundle found = parse(Bundle.class, get("/Questionnaire?status=active&url=" + ChecklistResponses.QUESTIONNAIRE));
        return found.getEntry().stream()
                .map(e -> (Questionnaire) e.getResource())
                .max(Comparator.comparing(Questionnaire::getVersion, Versions.ORDER))
                .orElseThrow();
    }

    /**
     * The banner shows the level's time frame exactly as the guidance Communication words it (its guidance-part
     * {@code time-frame} paragraph), and is hidden when the Communication has none.
     */
    private void assertTheBannerShowsTheTimeFrameOfTheGuidance() {
        String reference = find("result-reference").getText();
        Communication guidance =
                parse(Communication.class, get("/Communication/" + reference.substring(reference.indexOf('/') + 1)));
        Optional<String> timeFrame = guidance.getPayload().stream()
                .filter(p -> p.getExtension().stream()
                        .anyMatch(e -> GUIDANCE_PART.equals(e.getUrl())
                                && "time-frame".equals(e.getValue().primitiveValue())))
                .map(p -> p.getContentStringType().getValue())
                .findFirst();
        assertThat(find("result-action").isDisplayed())
                .as("a banner only with a time frame")
                .isEqualTo(timeFrame.isPresent());
        timeFrame.ifPresent(
                words -> assertThat(find("result-time-frame").getText()).isEqualTo(words));
    }

    private static void collectAnswered(
            List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items, List<String> into) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : items) {
            if (item.hasAnswer()) {
                into.add(item.getLinkId());
            }
            collectAnswered(item.getItem(), into);
        }
    }
}
