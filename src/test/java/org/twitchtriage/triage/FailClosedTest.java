package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.twitchtriage.triage.HeadacheResponses.none;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.internal.RuleSetCompiler;

/**
 * A rule that compiles but cannot be evaluated fails closed (contract section 4): the response is still
 * triaged, never lower than the broken rule's level, the other rules fire as usual, and the result is
 * marked for a clinician's review. The broken rules are copies of the second checklist's, each with its own
 * canonical url and the rule {@code meningism} (level emergency) broken a different way.
 */
class FailClosedTest {

    private static final String BROKEN_RULE = "meningism";
    private static final String RULE_SYSTEM = HeadacheResponses.BASE + "/CodeSystem/headache-rule";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    /** The second checklist's files except its valid rules, which would compete with the broken copy. */
    private static TriageEngine engine;

    private static RuleSet valid;

    @BeforeAll
    static void compileTheValidRules() {
        engine = new TriageEngine(Content.FHIR);
        valid = new TriageRules(HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST), engine)
                .forQuestionnaire(HeadacheResponses.QUESTIONNAIRE)
                .orElseThrow();
    }

    /** The broken copies: name, and the condition its meningism rule has. */
    static Stream<Arguments> brokenRules() {
        return Stream.of(
                Arguments.of("several-values", "repeat(item).where(linkId = 'signs').item.answer.value"),
                Arguments.of("wrong-type", "repeat(item).where(linkId = 'fever-stiff-neck').answer.value > 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void theBrokenRuleCompilesAndFailsOnlyWhenEvaluated(String name, String condition) {
        ConformanceRegistry registry = HeadacheResponses.registryWithMeningism(name, condition);
        assertThatCode(() -> new TriageRules(registry, engine)).doesNotThrowAnyException();
        RuleSet broken = rules(registry);

        assertThat(broken.canonical())
                .isEqualTo(HeadacheResponses.BASE + "/PlanDefinition/headache-triage-" + name + "|1.0.0");
        assertThat(rule(broken, BROKEN_RULE).expression()).isEqualTo(condition);
        assertThat(rule(broken, BROKEN_RULE).compiled()).isNotNull();
        for (HeadacheResponses response : List.of(none(), none().feverStiffNeck(true), none().suddenSevere(true))) {
            assertThat(engine.evaluate(response.build(), broken).unevaluable())
                    .extracting(RuleSet.Rule::id)
                    .containsExactly(BROKEN_RULE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void aResponseWithNoWarningSignIsNotTriagedBelowTheBrokenRule(String name, String condition) {
        RuleSet broken = rules(HeadacheResponses.registryWithMeningism(name, condition));
        QuestionnaireResponse response = none().build();

        TriageOutcome outcome = engine.evaluate(response, broken);

        assertThat(engine.evaluate(response, valid).level().code().getCode()).isEqualTo("ok");
        assertThat(outcome.unevaluable()).extracting(RuleSet.Rule::id).containsExactly(BROKEN_RULE);
        assertThat(outcome.fired()).isEmpty();
        assertThat(outcome.level().rank())
                .isGreaterThanOrEqualTo(rule(broken, BROKEN_RULE).level().rank());
        assertThat(outcome.level().code().getCode()).isEqualTo("emergency");
        assertThat(outcome.needsReview()).isTrue();
        assertThat(outcome.measures())
                .singleElement()
                .satisfies(m -> assertThat(m.value()).isZero());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void theOtherRulesStillFireWithTheirOrders(String name, String condition) {
        RuleSet broken = rules(HeadacheResponses.registryWithMeningism(name, condition));

        TriageOutcome frequent = engine.evaluate(none().frequency("most-days").build(), broken);
        TriageOutcome thunderclap =
                engine.evaluate(none().suddenSevere(true).frequency("most-days").build(), broken);

        assertThat(frequent.fired()).extracting(f -> f.rule().id()).containsExactly("frequent");
        assertThat(frequent.level().code().getCode()).isEqualTo("emergency");
        assertThat(frequent.needsReview()).isTrue();
        assertThat(thunderclap.fired()).extracting(f -> f.rule().id()).containsExactly("thunderclap", "frequent");
        assertThat(thunderclap.unevaluable()).extracting(RuleSet.Rule::id).containsExactly(BROKEN_RULE);
        assertThat(thunderclap.fired().get(0).findingLinkIds()).containsExactly("sudden-severe");
        assertThat(thunderclap.orders()).singleElement().satisfies(order -> {
            assertThat(order.orderable().code().getCode()).isEqualTo("emergency-assessment");
            assertThat(order.priority()).isEqualTo(ServiceRequestPriority.STAT);
            assertThat(order.ruleIds()).containsExactly("thunderclap", "emergency");
        });
        assertThat(thunderclap.measures())
                .singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void theObservationIsPreliminaryAndNamesTheBrokenRule(String name, String condition) {
        RuleSet broken = rules(HeadacheResponses.registryWithMeningism(name, condition));
        QuestionnaireResponse response = none().frequency("most-days").build();
        response.setId("headache-2");

        Observation observation = documents()
                .write(response, "headache-2", engine.evaluate(response, broken), NOW)
                .observation();

        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("emergency");
        ObservationComponentComponent review = component(observation, "needs-review");
        assertThat(review.getCode().getCodingFirstRep().getSystem()).isEqualTo(RULE_SYSTEM);
        assertThat(review.getValueBooleanType().booleanValue()).isTrue();
        assertThat(observation.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("frequent", "warning-sign-count", "needs-review");
        assertThat(notes(observation))
                .contains("NEEDS REVIEW: “", "'" + BROKEN_RULE + "'", "'frequent'", broken.canonical());
        assertThat(component(observation, "needs-review").getCode().getText()).startsWith("Needs review");
        assertThat(observation.getMethod().getText()).isEqualTo(broken.canonical());
    }

    @Test
    void theValidRulesGiveAFinalObservationWithoutTheReviewMarker() {
        QuestionnaireResponse response = none().frequency("most-days").build();
        response.setId("headache-3");

        TriageOutcome outcome = engine.evaluate(response, valid);
        Observation observation =
                documents().write(response, "headache-3", outcome, NOW).observation();

        assertThat(outcome.needsReview()).isFalse();
        assertThat(outcome.level().code().getCode()).isEqualTo("see-gp");
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(observation.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .doesNotContain("needs-review");
    }

    @Test
    void aPublishedRuleThatCannotBeEvaluatedFailsClosedToo() {
        PlanDefinition plan = publishedRules();
        action(plan, "muscle-wasting")
                .getConditionFirstRep()
                .getExpression()
                .setExpression("repeat(item).where(linkId = 'muscle-loss').answer.value > 0");
        RuleSet broken = engine.compile(plan, Content.registry());

        TriageOutcome outcome = engine.evaluate(
                ChecklistResponses.benign().answer("spreading", true).build(), broken);

        assertThat(outcome.unevaluable()).extracting(RuleSet.Rule::id).containsExactly("muscle-wasting");
        assertThat(outcome.fired())
                .extracting(f -> f.rule().id())
                .containsExactlyInAnyOrder("spreading", "single-flag");
        assertThat(outcome.level().code().getCode()).isEqualTo("immediate");
        assertThat(outcome.needsReview()).isTrue();
        assertThat(outcome.orders())
                .extracting(o -> o.orderable().code().getCode())
                .containsExactly("183521007");
        assertThat(outcome.orders().get(0).priority()).isEqualTo(ServiceRequestPriority.ASAP);
    }

    @Test
    void aVariableThatCannotBeEvaluatedFailsTheRulesAndTheMeasureThatUseIt() {
        PlanDefinition plan = publishedRules();
        ((Expression) plan.getExtensionsByUrl(RuleSetCompiler.VARIABLE_EXTENSION)
                        .get(0)
                        .getValue())
                .setExpression("repeat(item).where(linkId = 'persistent').answer.value > 0");
        RuleSet broken = engine.compile(plan, Content.registry());
        QuestionnaireResponse response = ChecklistResponses.benign().build();

        TriageOutcome outcome = engine.evaluate(response, broken);
        Observation observation =
                documents().write(response, "qr-4", outcome, NOW).observation();

        assertThat(outcome.unevaluable())
                .extracting(RuleSet.Rule::id)
                .containsExactlyInAnyOrder("two-or-more", "single-flag");
        assertThat(outcome.level().code().getCode()).isEqualTo("soon");
        assertThat(outcome.measures())
                .singleElement()
                .satisfies(m -> assertThat(m.value()).isNull());
        assertThat(outcome.needsReview()).isTrue();
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
        assertThat(component(observation, "needs-review").getValueBooleanType().booleanValue())
                .isTrue();
        assertThat(observation.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .doesNotContain("checklist-count");
        assertThat(notes(observation))
                .contains(
                        "'two-or-more'",
                        "'single-flag'",
                        "NEEDS REVIEW: “Number of checklist items answered yes” could not be worked out");
    }

    private static String notes(Observation observation) {
        return String.join(
                "\n", observation.getNote().stream().map(n -> n.getText()).toList());
    }

    private static RuleSet rules(ConformanceRegistry registry) {
        return new TriageRules(registry, engine)
                .forQuestionnaire(HeadacheResponses.QUESTIONNAIRE)
                .orElseThrow();
    }

    private static RuleSet.Rule rule(RuleSet rules, String id) {
        return rules.rules().stream().filter(r -> id.equals(r.id())).findFirst().orElseThrow();
    }

    private static PlanDefinition publishedRules() {
        return Content.registry()
                .byId(PlanDefinition.class, "muscle-twitch-triage")
                .orElseThrow()
                .copy();
    }

    private static PlanDefinitionActionComponent action(PlanDefinition plan, String id) {
        return plan.getAction().stream()
                .filter(a -> id.equals(a.getId()))
                .findFirst()
                .orElseThrow();
    }

    private static ObservationComponentComponent component(Observation observation, String code) {
        return observation.getComponent().stream()
                .filter(c -> code.equals(c.getCode().getCodingFirstRep().getCode()))
                .findFirst()
                .orElseThrow();
    }

    private static TriageDocuments documents() {
        return new TriageDocuments(
                new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"), "1.0");
    }
}
