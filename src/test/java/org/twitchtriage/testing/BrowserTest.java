package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The running application and the system's headless Chromium (Debian's chromium and chromium-driver), one
 * browser per test class, with the steps a patient takes on the form. Screenshots go to target/screenshots.
 */
public abstract class BrowserTest extends FhirHttpTest {

    private static final String CHROMEDRIVER = System.getProperty("pages.chromedriver", "/usr/bin/chromedriver");
    private static final String CHROMIUM = System.getProperty("pages.chromium", "/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    protected static final String CODES = "http://twitchtriage.org/fhir/CodeSystem/";

    private static final ObjectMapper JSON_READER = new ObjectMapper();

    protected static WebDriver browser;
    private static Path profile;

    protected WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(new File(CHROMEDRIVER))
                .as("The browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install -y chromium chromium-driver; .ci/run installs them): " + CHROMEDRIVER
                        + " is missing")
                .exists();
        assertThat(new File(CHROMIUM))
                .as("The browser tests need Debian's chromium: " + CHROMIUM + " is missing")
                .exists();
        // Given explicitly, so Selenium Manager never looks for a driver or a browser on the network.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("pages-browser");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--disable-quic",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,1000",
                        "--user-data-dir=" + profile);
        // Chrome's performance log holds the DevTools network events: every URL the browser asked for.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void desktop() {
        browser.manage().window().setSize(new Dimension(1280, 1000));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    protected void openForm(String query) {
        browser.get(base() + "/" + query);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[id^='item-numbness-tingling/']")));
    }

    /** Calf twitching for 1 to 2 weeks, unchanged, after caffeine, no warning sign: self-care. */
    protected void fillBenign() {
        choose("locations", CODES + "twitch-location|calf-foot");
        choose("duration", CODES + "twitch-duration|1-2w");
        choose("course", CODES + "twitch-course|unchanged");
        choose("triggers", CODES + "twitch-trigger|caffeine");
        for (String linkId : List.of(
                "persistent",
                "muscle-loss",
                "weakness",
                "spreading",
                "speech-swallowing-coordination",
                "family-history",
                "numbness-tingling")) {
            choose(linkId, "false");
        }
        // Asked from checklist version 1.1.0 on; older versions do not have it.
        if (!browser.findElements(By.id("one-side/1/1|false")).isEmpty()) {
            choose("one-side", "false");
        }
    }

    /**
     * Picks an answer as a patient does, by clicking its label (LHC-Forms gives the label the id
     * {@code linkId/1/1|value}); {@code value} is "true", "false" or "system|code".
     */
    protected void choose(String linkId, String value) {
        By label = By.id(linkId + "/1/1|" + value);
        wait.until(ExpectedConditions.elementToBeClickable(label));
        // A click that lands while the renderer is still re-rendering the item can be lost (seen on a busy
        // machine), so click again until the answer shows as chosen; a registered click shows at once.
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementClickInterceptedException.class)
                .until(d -> {
                    WebElement option = d.findElement(label);
                    if (selected(option)) {
                        return true;
                    }
                    script("arguments[0].scrollIntoView({block: 'center'});", option);
                    option.click();
                    return selected(d.findElement(label));
                });
    }

    protected static boolean selected(WebElement label) {
        return label.findElement(By.tagName("input")).isSelected();
    }

    protected void send() {
        WebElement button = find("submit");
        script("arguments[0].scrollIntoView({block: 'center'});", button);
        button.click();
    }

    protected void assertResult(String code, String name) {
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
        assertThat(result.getAttribute("data-level")).isEqualTo(code);
        assertThat(find("result-level").getText()).isEqualTo(name);
        assertThat(find("result-guidance").getText()).contains(levelMessage(code));
        List<String> signs = find("result-guidance").findElements(By.cssSelector("ul.warning-signs > li")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(signs).as("the warning signs, drawn as one list").containsExactlyElementsOf(warningSigns());
        assertThat(browser.switchTo().activeElement().getAttribute("id"))
                .as("focus moves to the result")
                .isEqualTo("result");
    }

    /** The warning signs as the active rules artifact words them, one per sub-action. */
    protected List<String> warningSigns() {
        return activeRules().getAction().stream()
                .filter(a -> "warning-signs".equals(a.getId()))
                .flatMap(a -> a.getAction().stream())
                .map(PlanDefinition.PlanDefinitionActionComponent::getDescription)
                .toList();
    }

    private PlanDefinition activeRules() {
        Bundle active = parse(
                Bundle.class,
                get("/PlanDefinition?status=active"
                        + "&url=http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage"));
        return (PlanDefinition) active.getEntryFirstRep().getResource();
    }

    /** The level's message as the active rules artifact words it. */
    protected String levelMessage(String code) {
        PlanDefinition rules = activeRules();
        return rules.getAction().stream()
                .filter(a -> a.hasCode()
                        && code.equals(a.getCodeFirstRep().getCodingFirstRep().getCode())
                        && a.hasDescription())
                .map(PlanDefinition.PlanDefinitionActionComponent::getDescription)
                .findFirst()
                .orElseThrow();
    }

    /**
     * Every URL the browser requested or navigated to since the last call (each request's URL and document, and
     * each frame's navigation), from Chrome's performance log.
     */
    protected List<String> visitedUrls() {
        List<String> urls = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON_READER.readTree(entry.getMessage()).path("message");
                JsonNode params = message.path("params");
                switch (message.path("method").asText()) {
                    case "Network.requestWillBeSent" -> {
                        urls.add(params.path("request").path("url").asText());
                        urls.add(params.path("documentURL").asText());
                        if (params.has("redirectResponse")) {
                            urls.add(params.path("redirectResponse").path("url").asText());
                            urls.add(params.path("redirectResponse")
                                    .path("headers")
                                    .path("Location")
                                    .asText(params.path("redirectResponse")
                                            .path("headers")
                                            .path("location")
                                            .asText()));
                        }
                    }
                    case "Page.frameNavigated" ->
                        urls.add(params.path("frame").path("url").asText());
                    case "Page.navigatedWithinDocument" ->
                        urls.add(params.path("url").asText());
                    default -> {}
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        urls.removeIf(String::isEmpty);
        return urls;
    }

    protected WebElement find(String id) {
        return browser.findElement(By.id(id));
    }

    protected Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    protected String base() {
        return "http://localhost:" + port;
    }

    /** The whole page: the window grows to the page's height for the shot, then returns to its size. */
    protected void screenshot(String name) {
        Dimension size = browser.manage().window().getSize();
        long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int)
                Math.min(Math.max(height + 140, size.getHeight()), 6000)));
        try {
            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            browser.manage().window().setSize(size);
        }
    }
}
