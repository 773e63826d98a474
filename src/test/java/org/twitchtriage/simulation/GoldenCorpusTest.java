package org.twitchtriage.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.intake.ResponseTriage;
import org.twitchtriage.intake.SubmissionRejectedException;
import org.twitchtriage.intake.SubmissionValidator;
import org.twitchtriage.simulation.GoldenCorpus.Expected;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageOutcome;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageRules;

/**
 * Every golden corpus response is valid and triaged by the active rules as {@code expected.json} says; the
 * corpus makes every rule fire and reaches every level. When the rules change on purpose, the failure lists
 * every difference and leaves the re-stated expectations in {@code target/golden-expected.json} to review
 * and copy over {@code src/test/resources/golden/expected.json}.
 */
class GoldenCorpusTest {

    private static final Path RESTATED = Path.of("target", "golden-expected.json");

    private final TriageEngine engine = new TriageEngine(Content.FHIR);
    private final TriageRules rules = new TriageRules(Content.registry(), engine);
    private final ResponseTriage intake = new ResponseTriage(
            new SubmissionValidator(Content.catalog(), false, () -> null),
            rules,
            engine,
            new TriageDocuments(
                    new TriageProperties("Organization/triage-site", TriageProperties.Intent.ORDER, "twitch-triage"),
                    "test"),
            Clock.systemUTC());

    @Test
    void everyResponseIsTriagedAsExpected() throws IOException {
        Map<String, Expected> expected = GoldenCorpus.expected();
        Map<String, Expected> actual = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        String activeRules = ruleSet().canonical();
        if (!activeRules.equals(GoldenCorpus.rules())) {
            mismatches.add("expected.json states results for rules " + GoldenCorpus.rules() + ", the active rules are "
                    + activeRules);
        }
        GoldenCorpus.responses().forEach((name, response) -> {
            problems(response).forEach(problem -> mismatches.add(name + ": not a valid response: " + problem));
            actual.put(name, summary(engine.evaluate(response, ruleSet())));
            Expected wanted = expected.get(name);
            if (wanted == null) {
                mismatches.add(name + ": no expectation in expected.json; triaged " + actual.get(name));
            } else if (!wanted.equals(actual.get(name))) {
                mismatches.add(name + ": expected " + wanted + ", triaged " + actual.get(name));
            }
        });
        expected.keySet().stream()
                .filter(name -> !actual.containsKey(name))
                .forEach(name -> mismatches.add(name + ": in expected.json, but no such response in the corpus"));
        if (!mismatches.isEmpty()) {
            restate(activeRules, actual);
        }

        assertThat(mismatches)
                .as(
                        "golden corpus results differ from expected.json (re-stated for the active rules"
                                + " in %s):%n%s",
                        RESTATED.toAbsolutePath(), String.join("\n", mismatches))
                .isEmpty();
    }

    @Test
    void theCorpusFiresEveryRuleAndReachesEveryLevel() {
        Set<String> rulesNeverFired =
                new TreeSet<>(ruleSet().rules().stream().map(RuleSet.Rule::id).toList());
        Set<String> levelsNeverReached = new TreeSet<>(ruleSet().levels().keySet());
        for (QuestionnaireResponse response : GoldenCorpus.responses().values()) {
            TriageOutcome outcome = engine.evaluate(response, ruleSet());
            outcome.fired().forEach(fired -> rulesNeverFired.remove(fired.rule().id()));
            levelsNeverReached.remove(outcome.level().code().getCode());
        }

        assertThat(rulesNeverFired).as("rules no corpus response fires").isEmpty();
        assertThat(levelsNeverReached).as("levels no corpus response reaches").isEmpty();
        assertThat(GoldenCorpus.responses()).hasSizeBetween(20, 40);
    }

    @Test
    void theCorpusNamesOnlyExamplePatients() {
        GoldenCorpus.responses()
                .forEach((name, response) -> assertThat(response.getSubject().getReference())
                        .as(name)
                        .matches("Patient/example-\\d+"));
    }

    private RuleSet ruleSet() {
        return rules.forQuestionnaire("http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist")
                .orElseThrow();
    }

    private List<String> problems(QuestionnaireResponse response) {
        try {
            intake.preview(response);
            return List.of();
        } catch (SubmissionRejectedException e) {
            return e.problems().stream()
                    .map(p -> p.expression() + " " + p.message())
                    .toList();
        }
    }

    private static Expected summary(TriageOutcome outcome) {
        Map<String, String> orders = new TreeMap<>();
        outcome.orders()
                .forEach(order -> orders.put(
                        order.orderable().code().getCode(), order.priority().toCode()));
        return new Expected(outcome.level().code().getCode(), orders);
    }

    /** One line per response, as expected.json is laid out, so that a re-statement reads as a short diff. */
    private static void restate(String activeRules, Map<String, Expected> actual) throws IOException {
        List<String> lines = new ArrayList<>();
        actual.forEach(
                (name, result) -> lines.add("    " + GoldenCorpus.write(name) + ": " + GoldenCorpus.write(result)));
        String document = "{\n  \"rules\": " + GoldenCorpus.write(activeRules) + ",\n  \"responses\": {\n"
                + String.join(",\n", lines) + "\n  }\n}\n";
        Files.createDirectories(RESTATED.getParent());
        Files.writeString(RESTATED, document);
    }
}
