package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.TriageOutcome.FiredRule;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;

/** The published rules (contract sections 3 and 4) at their boundaries, evaluated from the artifact. */
class TriageRulesTest {

    private static TriageEngine engine;
    private static RuleSet rules;

    @BeforeAll
    static void compile() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine)
                .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
    }

    static Stream<Arguments> boundaries() {
        return Stream.of(
                Arguments.of("nothing", benign(), List.of(), "self-care"),
                Arguments.of("duration 1-2w", benign().codes("duration", "1-2w"), List.of(), "self-care"),
                Arguments.of(
                        "duration 2-4w",
                        benign().codes("duration", "2-4w"),
                        List.of("persistent", "single-flag"),
                        "monitor"),
                Arguments.of(
                        "duration gt-3m",
                        benign().codes("duration", "gt-3m"),
                        List.of("persistent", "single-flag"),
                        "monitor"),
                Arguments.of(
                        "persistent ticked",
                        benign().answer("persistent", true),
                        List.of("persistent", "single-flag"),
                        "monitor"),
                Arguments.of(
                        "one checklist item",
                        benign().answer("family-history", true),
                        List.of("single-flag"),
                        "monitor"),
                Arguments.of(
                        "two checklist items",
                        benign().answer("family-history", true).answer("spreading", true),
                        List.of("spreading", "two-or-more"),
                        "soon"),
                Arguments.of(
                        "muscle loss",
                        benign().answer("muscle-loss", true),
                        List.of("muscle-wasting", "single-flag"),
                        "immediate"),
                Arguments.of(
                        "numbness", benign().answer("numbness-tingling", true), List.of("neuro-deficit"), "urgent"),
                Arguments.of(
                        "speech",
                        benign().answer("speech-swallowing-coordination", true),
                        List.of("neuro-deficit", "single-flag"),
                        "urgent"),
                Arguments.of(
                        "weakness not progressing",
                        benign().answer("weakness", true).answer("weakness-progressive", false),
                        List.of("single-flag"),
                        "monitor"),
                Arguments.of(
                        "weakness progressing",
                        benign().answer("weakness", true).answer("weakness-progressive", true),
                        List.of("progressive-weakness", "single-flag"),
                        "soon"),
                Arguments.of(
                        "worsening, short",
                        benign().codes("course", "worsening").codes("duration", "1-2w"),
                        List.of("worsening"),
                        "monitor"),
                Arguments.of(
                        "worsening, long",
                        benign().codes("course", "worsening").codes("duration", "2-4w"),
                        List.of("persistent-worsening", "worsening", "persistent", "single-flag"),
                        "soon"),
                Arguments.of(
                        "eyelid, short",
                        benign().codes("locations", "eyelid").codes("duration", "1-2w"),
                        List.of(),
                        "self-care"),
                Arguments.of(
                        "eyelid, long",
                        benign().codes("locations", "eyelid").codes("duration", "2-4w"),
                        List.of("persistent", "single-flag", "eyelid"),
                        "monitor"),
                Arguments.of(
                        "eyelid and face, short",
                        benign().codes("locations", "eyelid", "face"),
                        List.of("eyelid"),
                        "monitor"),
                Arguments.of(
                        "eyelid and calf, long",
                        benign().codes("locations", "eyelid", "calf-foot").codes("duration", "1-3m"),
                        List.of("persistent", "single-flag"),
                        "monitor"),
                Arguments.of(
                        "face only, long",
                        benign().codes("locations", "face").codes("duration", "1-3m"),
                        List.of("persistent", "single-flag"),
                        "monitor"),
                Arguments.of(
                        "weakness for three months, box unticked",
                        benign().answer("weakness", true)
                                .answer("weakness-progressive", false)
                                .codes("duration", "gt-3m"),
                        List.of("weakness-persistent-or-one-side", "two-or-more", "persistent"),
                        "soon"),
                Arguments.of(
                        "weakness with persistent ticked, short",
                        benign().answer("weakness", true)
                                .answer("weakness-progressive", false)
                                .answer("persistent", true),
                        List.of("weakness-persistent-or-one-side", "two-or-more", "persistent"),
                        "soon"),
                Arguments.of(
                        "weakness, one side, short (1.1.0)",
                        benign().current()
                                .answer("weakness", true)
                                .answer("weakness-progressive", false)
                                .answer("one-side", true),
                        List.of("weakness-persistent-or-one-side", "single-flag"),
                        "soon"),
                Arguments.of(
                        "one side without weakness (1.1.0)",
                        benign().current().answer("one-side", true),
                        List.of(),
                        "self-care"),
                Arguments.of(
                        "family history for three months",
                        benign().answer("family-history", true).codes("duration", "1-3m"),
                        List.of("two-or-more", "persistent"),
                        "soon"),
                Arguments.of(
                        "improving, long",
                        benign().codes("course", "improving").codes("duration", "2-4w"),
                        List.of("persistent", "single-flag"),
                        "monitor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void firesExactlyTheRulesThatHold(String name, ChecklistResponses response, List<String> expected, String level) {
        TriageOutcome outcome = engine.evaluate(response.build(), rules);

        assertThat(outcome.fired()).extracting(f -> f.rule().id()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(outcome.level().code().getCode()).isEqualTo(level);
        assertThat(outcome.unevaluable()).isEmpty();
    }

    @Test
    void countsTheChecklistItemsAnsweredYes() {
        TriageOutcome outcome = engine.evaluate(
                benign().answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .answer("family-history", true)
                        .answer("persistent", true)
                        .build(),
                rules);

        assertThat(outcome.measures()).singleElement().satisfies(m -> {
            assertThat(m.measure().code().getCode()).isEqualTo("checklist-count");
            assertThat(m.value()).isEqualTo(3);
        });
    }

    @Test
    void mergesOrdersToOnePerCodeAtTheHighestPriority() {
        TriageOutcome outcome = engine.evaluate(
                benign().answer("muscle-loss", true)
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .build(),
                rules);

        assertThat(outcome.level().code().getCode()).isEqualTo("immediate");
        assertThat(codes(outcome))
                .containsExactlyInAnyOrder(
                        "306115009", "2132-9", "3016-3", "2157-6", "2823-3", "19123-9", "17861-6", "183521007");
        assertThat(order(outcome, "306115009").priority()).isEqualTo(ServiceRequestPriority.ASAP);
        assertThat(order(outcome, "183521007").priority()).isEqualTo(ServiceRequestPriority.ASAP);
        List<PlacedOrder> labs = outcome.orders().stream()
                .filter(o -> "http://loinc.org".equals(o.orderable().code().getSystem()))
                .toList();
        assertThat(labs).hasSize(6).extracting(PlacedOrder::requisitionGroup).containsOnly("blood-panel");
        assertThat(labs).extracting(PlacedOrder::priority).containsOnly(ServiceRequestPriority.ROUTINE);
    }

    private static List<String> steps(QuestionnaireResponse response) {
        return engine.evaluate(response, rules).steps().stream()
                .map(RuleSet.GuidanceStep::id)
                .toList();
    }

    @Test
    void theSoonReferralIsDueWithinThreeWeeks() {
        TriageOutcome outcome =
                engine.evaluate(benign().answer("spreading", true).build(), rules);

        PlacedOrder referral = order(outcome, "183521007");
        assertThat(referral.priority()).isEqualTo(ServiceRequestPriority.ROUTINE);
        assertThat(referral.occurrenceDays()).isEqualTo(21);
        assertThat(referral.reasons()).isNotEmpty();
    }

    @Test
    void levelsCarryTheirNeurologyReferral() {
        assertThat(order(
                                engine.evaluate(
                                        benign().answer("numbness-tingling", true)
                                                .build(),
                                        rules),
                                "183521007")
                        .priority())
                .isEqualTo(ServiceRequestPriority.URGENT);
        assertThat(engine.evaluate(benign().build(), rules).orders()).isEmpty();
        assertThat(codes(engine.evaluate(
                        benign().codes("locations", "eyelid", "face").build(), rules)))
                .containsExactly("183543004");
    }

    @Test
    void eyelidOnlyTwitchingGetsTheEyelidAdviceFirstAndNobodyElseDoes() {
        List<String> eyelidOnly =
                steps(benign().codes("locations", "eyelid").codes("triggers").build());
        List<String> eyelidAndCalf =
                steps(benign().codes("locations", "eyelid", "calf-foot").build());
        List<String> eyelidLong = steps(
                benign().codes("locations", "eyelid").codes("duration", "2-4w").build());

        assertThat(eyelidOnly).first().isEqualTo("step-eyelid");
        assertThat(eyelidOnly).hasSize(6);
        assertThat(eyelidLong).first().isEqualTo("step-eyelid");
        assertThat(eyelidAndCalf).hasSize(5).doesNotContain("step-eyelid");
        assertThat(steps(benign().build())).hasSize(5).doesNotContain("step-eyelid");
    }

    @Test
    void theEyelidAdviceAndTheCaveatsAreTheRulesOwnWords() {
        Map<String, String> texts = new HashMap<>();
        rules.selfCarePlan().forEach(step -> texts.put(step.id(), step.text()));

        assertThat(texts.get("step-eyelid")).contains("warm").contains("screens");
        assertThat(texts.get("step-caffeine")).contains("prescribed").contains("stimulant");
        assertThat(texts.get("step-hydration")).contains("limit how much you drink");
        assertThat(rules.selfCarePlan())
                .filteredOn(step -> step.condition() != null)
                .extracting(RuleSet.GuidanceStep::id)
                .containsExactly("step-eyelid");
    }

    @Test
    void noOrdersInstructionsSpeakOfWhenSinceTheLevelsTimeFrameSaysIt() {
        List<RuleSet.OrderSpec> orders = new ArrayList<>();
        rules.rules().forEach(rule -> orders.addAll(rule.orders()));
        rules.levels().values().forEach(level -> orders.addAll(level.orders()));

        assertThat(orders)
                .hasSizeGreaterThan(10)
                .allSatisfy(
                        order -> assertThat(
                                        order.orderable().patientInstruction().toLowerCase(Locale.ROOT))
                                .as(order.orderable().canonical())
                                .doesNotContainPattern(
                                        "\\b(today|tomorrow|urgent|urgently|immediately|soon|within|straight away|right away|in the next)\\b"));
    }

    @Test
    void theNewRulesReadTheQuestionsTheContractNames() {
        Map<String, List<String>> reads = new HashMap<>();
        rules.rules().forEach(rule -> reads.put(rule.id(), rule.reads()));

        assertThat(reads.get("weakness-persistent-or-one-side"))
                .containsExactlyInAnyOrder("weakness", "persistent", "duration", "one-side");
        assertThat(reads.get("worsening")).containsExactly("course");
        assertThat(reads.get("persistent")).containsExactlyInAnyOrder("persistent", "duration");
        assertThat(reads.get("single-flag"))
                .containsExactlyInAnyOrder(
                        "persistent",
                        "duration",
                        "muscle-loss",
                        "weakness",
                        "spreading",
                        "speech-swallowing-coordination",
                        "family-history");
    }

    @Test
    void levelsWithoutTheSelfCarePlanGiveNoSteps() {
        assertThat(steps(benign().codes("locations", "eyelid")
                        .answer("spreading", true)
                        .build()))
                .isEmpty();
    }

    @Test
    void findingsComeFromTheItemsAnsweredYes() {
        TriageOutcome outcome =
                engine.evaluate(benign().answer("numbness-tingling", true).build(), rules);

        FiredRule deficit = outcome.fired().get(0);
        assertThat(deficit.findings()).extracting(Coding::getCode).containsExactly("44077006", "62507009");
        assertThat(order(outcome, "306144006").reasons())
                .extracting(Coding::getCode)
                .containsExactly("44077006", "62507009");
    }

    @Test
    void selfCareStepsForTheTriggersTickedComeFirst() {
        TriageOutcome outcome = engine.evaluate(
                benign().codes("triggers", "stress", "poor-sleep").build(), rules);

        assertThat(outcome.steps()).hasSize(5);
        assertThat(outcome.steps().subList(0, 2))
                .extracting(RuleSet.GuidanceStep::id)
                .containsExactly("step-sleep", "step-stress");
        assertThat(engine.evaluate(benign().answer("spreading", true).build(), rules)
                        .steps())
                .isEmpty();
    }

    private static List<String> codes(TriageOutcome outcome) {
        return outcome.orders().stream()
                .map(o -> o.orderable().code().getCode())
                .toList();
    }

    private static PlacedOrder order(TriageOutcome outcome, String code) {
        return outcome.orders().stream()
                .filter(o -> code.equals(o.orderable().code().getCode()))
                .findFirst()
                .orElseThrow();
    }
}
