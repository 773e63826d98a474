package org.twitchtriage.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageOutcome;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageResources;
import org.twitchtriage.triage.TriageRules;

/**
 * Cost of triaging one parsed, stored QuestionnaireResponse: {@link TriageEngine#evaluate} alone, and
 * evaluation plus the resources {@link TriageDocuments#write} builds from the outcome (what every
 * accepted submission pays after validation). SampleTime mode, so each result carries a median
 * (p0.50) per call. Run with the {@code bench} profile (docs/performance.md); the eight forks take
 * about two and a half minutes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class TriageBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    /** The compiled rules and the writer, built once as the application builds them. */
    @State(Scope.Benchmark)
    public static class Triage {

        TriageEngine engine;
        RuleSet rules;
        TriageDocuments documents;

        @Setup(Level.Trial)
        public void setUp() {
            engine = new TriageEngine(Content.FHIR);
            rules = new TriageRules(Content.registry(), engine)
                    .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                    .orElseThrow();
            documents = new TriageDocuments(
                    new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"),
                    "bench");
        }
    }

    /** The response under test, parsed from JSON and given an id the way the server stores it. */
    @State(Scope.Benchmark)
    public static class Responses {

        /**
         * selfCare: every checklist answer false. monitor: eyelid and face twitching (eyelid rule,
         * ophthalmology referral). soon: progressive weakness (neurophysiology referral and the six-test
         * blood panel). immediate: wasting and most other warning signs, so nearly every rule fires.
         */
        @Param({"selfCare", "monitor", "soon", "immediate"})
        public String kind;

        QuestionnaireResponse response;
        String id;

        @Setup(Level.Trial)
        public void setUp(Triage triage) {
            id = UUID.nameUUIDFromBytes(("bench-" + kind).getBytes(StandardCharsets.UTF_8))
                    .toString();
            response = ResponseJson.parsed(build(kind));
            response.setId(id);
            response.getMeta().setVersionId("1").setLastUpdated(Date.from(NOW));

            TriageOutcome outcome = triage.engine.evaluate(response, triage.rules);
            TriageResources resources = triage.documents.write(response, id, outcome, NOW);
            String level = outcome.level().code().getCode();
            System.out.printf(
                    "%n[%s] level %s, rules fired %d, orders %d, resources written %d%n",
                    kind,
                    level,
                    outcome.fired().size(),
                    outcome.orders().size(),
                    resources.all().size());
            if (!level.equals(expectedLevel(kind)) || outcome.needsReview()) {
                throw new IllegalStateException("response " + kind + " triaged as " + level + " (review "
                        + outcome.needsReview() + "), expected " + expectedLevel(kind));
            }
        }
    }

    @Benchmark
    public TriageOutcome evaluate(Triage triage, Responses responses) {
        return triage.engine.evaluate(responses.response, triage.rules);
    }

    @Benchmark
    public TriageResources evaluateAndWrite(Triage triage, Responses responses) {
        TriageOutcome outcome = triage.engine.evaluate(responses.response, triage.rules);
        return triage.documents.write(responses.response, responses.id, outcome, NOW);
    }

    static QuestionnaireResponse build(String kind) {
        return switch (kind) {
            case "selfCare" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-201")
                        .identifier("urn:twitchtriage:bench", "synthetic-self-care")
                        .codes("triggers", "caffeine", "stress")
                        .build();
            case "monitor" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-202")
                        .identifier("urn:twitchtriage:bench", "synthetic-monitor")
                        .codes("locations", "eyelid", "face")
                        .build();
            case "soon" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-203")
                        .identifier("urn:twitchtriage:bench", "synthetic-soon")
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .build();
            case "immediate" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-204")
                        .identifier("urn:twitchtriage:bench", "synthetic-immediate")
                        .codes("locations", "arm-hand", "shoulder", "thigh", "calf-foot")
                        .codes("duration", "gt-3m")
                        .codes("course", "worsening")
                        .codes("triggers")
                        .answer("persistent", true)
                        .answer("muscle-loss", true)
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .answer("spreading", true)
                        .answer("speech-swallowing-coordination", true)
                        .answer("numbness-tingling", true)
                        .build();
            default -> throw new IllegalArgumentException("unknown response kind " + kind);
        };
    }

    static String expectedLevel(String kind) {
        return switch (kind) {
            case "selfCare" -> "self-care";
            case "monitor", "soon", "immediate" -> kind;
            default -> throw new IllegalArgumentException("unknown response kind " + kind);
        };
    }
}
