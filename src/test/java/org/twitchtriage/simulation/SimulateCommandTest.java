package org.twitchtriage.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twitchtriage.testing.CandidateRules;

/**
 * {@code simulate} over the golden corpus, with candidate rules that raise the {@code spreading} rule from
 * {@code soon} to {@code urgent}. What that change must do is worked out here from the corpus answers and
 * the expected results in {@code expected.json}, not by the simulation's own code.
 */
class SimulateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The levels below urgent, where raising a rule to urgent raises the result. */
    private static final Set<String> BELOW_URGENT = Set.of("self-care", "monitor", "soon");

    @TempDir
    Path temp;

    @Test
    void raisingOneRuleListsExactlyTheResponsesThatRuleChanges() throws IOException {
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));

        Run run = simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder(), "--format=json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(names(report.path("changed"))).isEqualTo(raisedBySpreading().keySet());
        report.path("changed").forEach(change -> {
            assertThat(change.path("before").path("level").asText())
                    .isEqualTo(raisedBySpreading().get(change.path("response").asText()));
            assertThat(change.path("after").path("level").asText()).isEqualTo("urgent");
        });
        assertThat(JSON.convertValue(report.path("transitions"), Map.class)).isEqualTo(expectedTransitions());
        assertThat(report.path("responses").asInt())
                .isEqualTo(GoldenCorpus.responses().size());
        assertThat(report.path("invalid")).isEmpty();
    }

    @Test
    void theJsonReportHasTheDocumentedShape() throws IOException {
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));

        JsonNode report =
                JSON.readTree(simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder(), "--format=json")
                        .out());

        assertThat(fieldNames(report)).containsExactly("responses", "changed", "transitions", "invalid", "retracted");
        assertThat(report.path("retracted").asInt())
                .as("a folder holds no retracted responses")
                .isZero();
        JsonNode change = report.path("changed").get(0);
        assertThat(fieldNames(change)).containsExactly("response", "before", "after");
        assertThat(fieldNames(change.path("before"))).containsExactly("level", "orders");
        assertThat(fieldNames(change.path("after"))).containsExactly("level", "orders");
        String name = change.path("response").asText();
        GoldenCorpus.Expected before = GoldenCorpus.expected().get(name);
        assertThat(JSON.convertValue(change.path("before").path("orders"), Map.class))
                .isEqualTo(before.orders());
        assertThat(change.path("after").path("orders").path("183521007").asText())
                .isEqualTo("urgent");
        report.path("transitions")
                .fields()
                .forEachRemaining(t -> assertThat(t.getKey()).matches("[a-z-]+->[a-z-]+"));
    }

    @Test
    void theTextReportListsChangesAndTransitions() throws IOException {
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));

        Run run = simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder());

        assertThat(run.status()).isZero();
        raisedBySpreading().keySet().forEach(name -> assertThat(run.out()).contains("  " + name + "\n"));
        expectedTransitions()
                .forEach((transition, count) ->
                        assertThat(run.out()).contains(transition.replace("->", " \u2192 ") + ": " + count));
        assertThat(run.out())
                .contains(GoldenCorpus.responses().size() + " responses compared, "
                        + raisedBySpreading().size() + " changed.");
        assertThat(run.out())
                .contains(CandidateRules.RULES + "|"
                        + CandidateRules.fromActive().nextVersion().version());
        assertThat(run.out()).doesNotContain("Patient/example");
    }

    @Test
    void oneResponseIsCountedInTheSingular() throws IOException {
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));
        Path responses = Files.createDirectories(temp.resolve("one"));
        String name = GoldenCorpus.responses().keySet().iterator().next();
        Files.copy(GoldenCorpus.folder().resolve(name), responses.resolve(name));

        Run run = simulate("--rules=" + rules, "--responses=" + responses);

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("1 response compared, ");
    }

    @Test
    void anInvalidResponseIsListedWithItsErrorsAndLeftOut() throws IOException {
        Path responses = Files.createDirectories(temp.resolve("responses"));
        List<String> corpus = new ArrayList<>(GoldenCorpus.responses().keySet());
        for (String name : corpus.subList(0, 2)) {
            Files.copy(GoldenCorpus.folder().resolve(name), responses.resolve(name));
        }
        String json = Files.readString(GoldenCorpus.folder().resolve(corpus.get(2)));
        Files.writeString(responses.resolve("not-completed.json"), json.replace("\"completed\"", "\"in-progress\""));
        Files.writeString(responses.resolve("notes.json"), "{\"about\": \"not a FHIR resource\"}");
        Files.writeString(responses.resolve("bundle.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\"}");
        Path rules = CandidateRules.fromActive().nextVersion().ownId().writeTo(temp.resolve("rules"));

        Run run = simulate("--rules=" + rules, "--responses=" + responses, "--format=json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("responses").asInt()).isEqualTo(2);
        assertThat(report.path("invalid")).hasSize(1);
        assertThat(report.path("invalid").get(0).path("response").asText()).isEqualTo("not-completed.json");
        assertThat(report.path("invalid").get(0).path("errors").get(0).asText()).contains("status");
        assertThat(report.path("changed")).isEmpty();
    }

    @Test
    void aChangedRuleUnderTheSameVersionIsRefused() throws IOException {
        Path rules = CandidateRules.fromActive().level("spreading", "urgent").writeTo(temp.resolve("rules"));

        Run run = simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder());

        assertThat(run.status()).isEqualTo(SimulateCommand.CONTENT_REFUSED);
        assertThat(run.err())
                .contains("candidate content")
                .contains("a change needs a new version")
                .contains(rules.toString());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aNewVersionKeepingTheOldIdIsRefused() throws IOException {
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .writeTo(temp.resolve("rules"));

        Run run = simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder());

        assertThat(run.status()).isEqualTo(SimulateCommand.CONTENT_REFUSED);
        assertThat(run.err()).contains("give the new version an id of its own");
    }

    @Test
    void wrongArgumentsAreRefusedWithTheUsage() throws IOException {
        Path rules = CandidateRules.fromActive().nextVersion().ownId().writeTo(temp.resolve("rules"));

        assertThat(simulate("--responses=" + GoldenCorpus.folder()).err()).contains("--rules=FOLDER is missing");
        Run both = simulate("--rules=" + rules, "--responses=" + GoldenCorpus.folder(), "--stored");
        assertThat(both.status()).isEqualTo(SimulateCommand.INVALID_ARGUMENTS);
        assertThat(both.err()).contains("either --responses=FOLDER or --stored").contains("usage:");
        assertThat(simulate("--rules=" + temp.resolve("missing"), "--stored").err())
                .contains("is not a folder");
        assertThat(simulate("--rules=" + rules, "--stored", "--format=xml").status())
                .isEqualTo(SimulateCommand.INVALID_ARGUMENTS);
        assertThat(simulate("--rules=" + rules, "--stored", "--rule=x").err()).contains("unknown argument --rule");
    }

    /** Corpus file name to its expected level today, for the responses the raised rule must change. */
    static Map<String, String> raisedBySpreading() {
        Map<String, String> changed = new TreeMap<>();
        Map<String, GoldenCorpus.Expected> expected = GoldenCorpus.expected();
        GoldenCorpus.responses().forEach((name, response) -> {
            String level = expected.get(name).level();
            if (GoldenCorpus.answersTrue(response, "spreading") && BELOW_URGENT.contains(level)) {
                changed.put(name, level);
            }
        });
        assertThat(changed).as("corpus responses the raised rule changes").isNotEmpty();
        return changed;
    }

    private static Map<String, Integer> expectedTransitions() {
        return raisedBySpreading().values().stream()
                .collect(Collectors.toMap(level -> level + "->urgent", level -> 1, Integer::sum));
    }

    static Set<String> names(JsonNode changed) {
        Set<String> names = new TreeSet<>();
        changed.forEach(change -> names.add(change.path("response").asText()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Run simulate(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SimulateCommand.execute(
                List.of(arguments),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Run(int status, String out, String err) {}
}
