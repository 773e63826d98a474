package org.twitchtriage.bench;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.BooleanType;
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
import org.twitchtriage.questionnaire.AnswerProblem;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.ValidationPlan;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/**
 * Cost of validating one parsed QuestionnaireResponse: the compiled {@link ValidationPlan} (the
 * hot path of every submission) against HAPI's full {@link ProfileValidator} for comparison.
 * SampleTime mode, so each result carries a median (p0.50) per call. Run with the {@code bench}
 * profile (docs/performance.md); the six forks take about two and a half minutes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValidationPlanBenchmark {

    /** The response under test, parsed from JSON the way the server receives it. */
    @State(Scope.Benchmark)
    public static class Responses {

        /**
         * benign: every checklist answer false. warningSigns: persistent, wasting, progressive weakness,
         * spreading and bulbar symptoms, several locations. invalid: six problems of different kinds.
         */
        @Param({"benign", "warningSigns", "invalid"})
        public String kind;

        ValidationPlan plan;
        QuestionnaireResponse response;

        @Setup(Level.Trial)
        public void setUp() {
            plan = Content.catalog()
                    .resolve(ChecklistResponses.CANONICAL)
                    .orElseThrow()
                    .plan();
            response = ResponseJson.parsed(build(kind));
        }
    }

    /** HAPI's validator, built and exercised once before measuring (its first call loads the core specification). */
    @State(Scope.Benchmark)
    public static class FullValidator {

        ProfileValidator validator;

        @Setup(Level.Trial)
        public void setUp(Responses responses) {
            validator = new ProfileValidator(Content.FHIR, Content.registry());
            List<SingleValidationMessage> errors = validator.errors(responses.response);
            List<AnswerProblem> problems = responses.plan.check(responses.response);
            System.out.printf(
                    "%n[%s] plan problems: %d, HAPI errors: %d%n", responses.kind, problems.size(), errors.size());
        }
    }

    @Benchmark
    public List<AnswerProblem> plan(Responses responses) {
        return responses.plan.check(responses.response);
    }

    @Benchmark
    @Warmup(iterations = 3, time = 3)
    public List<SingleValidationMessage> hapi(Responses responses, FullValidator full) {
        return full.validator.errors(responses.response);
    }

    static QuestionnaireResponse build(String kind) {
        return switch (kind) {
            case "benign" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-101")
                        .identifier("urn:twitchtriage:bench", "synthetic-benign")
                        .build();
            case "warningSigns" ->
                ChecklistResponses.benign()
                        .subject("Patient/synthetic-102")
                        .identifier("urn:twitchtriage:bench", "synthetic-warning-signs")
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
                        .build();
            case "invalid" -> invalid();
            default -> throw new IllegalArgumentException("unknown response kind " + kind);
        };
    }

    /**
     * Six problems: two answers to a single-answer item (course), an unknown code (duration), a wrong
     * answer type (persistent), an item answered although disabled (weakness-progressive), a required
     * item left out (family-history) and an unknown linkId.
     */
    private static QuestionnaireResponse invalid() {
        QuestionnaireResponse response = ChecklistResponses.benign()
                .subject("Patient/synthetic-103")
                .codes("course", "unchanged", "worsening")
                .codes("duration", "forever")
                .codes("persistent", "yes")
                .answer("weakness-progressive", true)
                .without("family-history")
                .build();
        response.addItem().setLinkId("not-an-item").addAnswer().setValue(new BooleanType(true));
        return response;
    }
}
