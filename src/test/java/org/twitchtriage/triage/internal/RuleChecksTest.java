package org.twitchtriage.triage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.RelatedArtifact.RelatedArtifactType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.HeadacheResponses;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageRules;

/**
 * A rule that names an item, a variable or an answer code its Questionnaire does not have, or compares
 * an item's answers with the wrong kind of literal, can never fire as written: compiling it fails with a
 * message naming the rule (or variable) and the unknown name. Each case is a published PlanDefinition,
 * copied and broken in one place. Shapes the checks do not understand are logged, not refused.
 */
class RuleChecksTest {

    private static final String RULES = "http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage|1.0.0";
    private static final String NEXT_VERSION = "1.9.0";

    private static TriageEngine engine;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
    }

    static Stream<Arguments> badReferences() {
        return Stream.of(
                bad(
                        "unknown linkId in a condition",
                        "action 'muscle-wasting'",
                        "the condition names the item 'muscle-los', which no Questionnaire version the rules declare has"
                                + " (" + ChecklistResponses.QUESTIONNAIRE + "|1.0.0)",
                        p -> condition(p, "muscle-wasting")
                                .setExpression("repeat(item).where(linkId = 'muscle-los').answer.value = true")),
                bad(
                        "unknown linkId in a variable",
                        "variable 'checklistCount'",
                        "names the item 'family-histroy'",
                        p -> variable(p, "checklistCount")
                                .setExpression(variable(p, "checklistCount")
                                        .getExpression()
                                        .replace("'family-history'", "'family-histroy'"))),
                bad(
                        "unknown code in a variable",
                        "variable 'twoWeeksOrMore'",
                        "compares the answers of 'duration' with the code '2-4weeks', which is not one of its answer"
                                + " options",
                        p -> variable(p, "twoWeeksOrMore")
                                .setExpression(variable(p, "twoWeeksOrMore")
                                        .getExpression()
                                        .replace("'2-4w'", "'2-4weeks'"))),
                bad(
                        "unknown code in a condition",
                        "action 'persistent-worsening'",
                        "compares the answers of 'course' with the code 'worse', which is not one of its answer options",
                        p -> condition(p, "persistent-worsening")
                                .setExpression(condition(p, "persistent-worsening")
                                        .getExpression()
                                        .replace("'worsening'", "'worse'"))),
                bad(
                        "unknown code through a variable",
                        "action 'eyelid'",
                        "compares the answers of 'locations' with the code 'eye-lid'",
                        p -> condition(p, "eyelid").setExpression("%locations contains 'eye-lid'")),
                bad(
                        "code on a boolean item",
                        "action 'spreading'",
                        "compares the answers of 'spreading', a boolean item, with the code 'yes'",
                        p -> condition(p, "spreading")
                                .setExpression("repeat(item).where(linkId = 'spreading').answer.value.code = 'yes'")),
                bad(
                        "boolean on a choice item",
                        "action 'persistent-worsening'",
                        "compares the answers of 'course', a choice item, with the boolean true",
                        p -> condition(p, "persistent-worsening")
                                .setExpression(
                                        "%persistentTwitching and repeat(item).where(linkId = 'course').answer.value = true")),
                bad(
                        "codings compared with a text",
                        "action 'persistent-worsening'",
                        "compares the answers of 'course', which are codings, with the text 'worsening', which no coding"
                                + " equals",
                        p -> condition(p, "persistent-worsening")
                                .setExpression("%persistentTwitching and"
                                        + " repeat(item).where(linkId = 'course').answer.value = 'worsening'")),
                bad(
                        "answers of a group",
                        "action 'single-flag'",
                        "compares the answers of 'checklist', which is not an answerable item (group)",
                        p -> condition(p, "single-flag")
                                .setExpression("repeat(item).where(linkId = 'checklist').answer.value = true")),
                bad(
                        "unknown variable in a condition",
                        "action 'persistent'",
                        "the condition uses %persistentTwitchin, which no triage-variable defines",
                        p -> condition(p, "persistent").setExpression("%persistentTwitchin")),
                bad(
                        "unknown variable in a measure",
                        "action 'checklist-count'",
                        "the measure uses %checklistCnt, which no triage-variable defines",
                        p -> measure(p, "checklist-count").setExpression("%checklistCnt")),
                bad(
                        "variable used before it is defined",
                        "variable 'twoWeeksOrMore'",
                        "uses %persistentTwitching, which no triage-variable defines",
                        p -> variable(p, "twoWeeksOrMore").setExpression("%persistentTwitching")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReferences")
    void aReferenceThatCannotBeRightIsRefusedNamingTheRuleAndTheName(
            String name, String owner, String why, Consumer<PlanDefinition> change) {
        PlanDefinition plan = published();
        change.accept(plan);

        assertThatThrownBy(() -> engine.compile(plan, Content.registry()))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageStartingWith("PlanDefinition " + RULES)
                .hasMessageContaining(owner)
                .hasMessageContaining(why);
    }

    @Test
    void aCodeIsCheckedAgainstTheAnswerValueSetOfTheItem() {
        ConformanceRegistry registry = HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST);
        PlanDefinition plan = registry.byId(PlanDefinition.class, "headache-triage")
                .orElseThrow()
                .copy();
        condition(plan, "frequent").setExpression("%frequency = 'most-day'");

        assertThatThrownBy(() -> engine.compile(plan, registry))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("PlanDefinition " + HeadacheResponses.RULES + ", action 'frequent'")
                .hasMessageContaining("the code 'most-day', which is not one of its answer options");
    }

    @Test
    void aBuiltInConstantIsNotAVariable() {
        PlanDefinition plan = published();
        condition(plan, "spreading")
                .setExpression("%resource.repeat(item).where(linkId = 'spreading').answer.value = true");

        assertThat(rule(engine.compile(plan, Content.registry()), "spreading").reads())
                .containsExactly("spreading");
    }

    @Test
    void aNameCountsWhenAnyDeclaredQuestionnaireVersionHasIt() {
        PlanDefinition plan = declaringNextVersion();
        condition(plan, "spreading").setExpression("repeat(item).where(linkId = 'one-side').answer.value = true");

        RuleSet rules = engine.compile(plan, withNextVersion());

        assertThat(rule(rules, "spreading").reads()).containsExactly("one-side");
    }

    @Test
    void aNameNoDeclaredVersionHasIsRefusedNamingEveryVersion() {
        PlanDefinition plan = declaringNextVersion();
        condition(plan, "spreading").setExpression("repeat(item).where(linkId = 'one-sided').answer.value = true");

        assertThatThrownBy(() -> engine.compile(plan, withNextVersion()))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("action 'spreading'")
                .hasMessageContaining("'one-sided'")
                .hasMessageContaining(ChecklistResponses.QUESTIONNAIRE + "|1.0.0, " + ChecklistResponses.QUESTIONNAIRE
                        + "|" + NEXT_VERSION);
    }

    @Test
    void theAnswersOfADisplayItemAreRefused() {
        PlanDefinition plan = declaringNextVersion();
        condition(plan, "spreading").setExpression("repeat(item).where(linkId = 'emergency').answer.value = true");

        assertThatThrownBy(() -> engine.compile(plan, withNextVersion()))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("action 'spreading'")
                .hasMessageContaining("'emergency', which is not an answerable item (display)");
    }

    @Test
    void eachRuleReadsTheItemsOfItsConditionAndOfTheVariablesItUses() {
        RuleSet checklist = engine.compile(published(), Content.registry());
        ConformanceRegistry headache = HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST);
        RuleSet second = engine.compile(
                headache.byId(PlanDefinition.class, "headache-triage").orElseThrow(), headache);
        List<String> checklistItems = List.of(
                "persistent",
                "muscle-loss",
                "weakness",
                "spreading",
                "speech-swallowing-coordination",
                "family-history");

        assertThat(reads(checklist))
                .isEqualTo(Map.of(
                        "muscle-wasting", List.of("muscle-loss"),
                        "neuro-deficit", List.of("numbness-tingling", "speech-swallowing-coordination"),
                        "progressive-weakness", List.of("weakness", "weakness-progressive"),
                        "spreading", List.of("spreading"),
                        "two-or-more", checklistItems,
                        "persistent-worsening", List.of("persistent", "duration", "course"),
                        "persistent", List.of("persistent", "duration"),
                        "single-flag", checklistItems,
                        "eyelid", List.of("locations", "duration")));
        assertThat(reads(second))
                .isEqualTo(Map.of(
                        "thunderclap", List.of("sudden-severe"),
                        "meningism", List.of("fever-stiff-neck"),
                        "frequent", List.of("frequency")));
    }

    @Test
    void everyPublishedRulesArtifactIsUnderstoodWithoutAWarning() {
        ConformanceRegistry headache = HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST);
        List<PlanDefinition> published = Content.registry().all(PlanDefinition.class);

        List<ILoggingEvent> warnings = logged(() -> {
            published.forEach(plan -> engine.compile(plan, Content.registry()));
            engine.compile(
                    headache.byId(PlanDefinition.class, "headache-triage").orElseThrow(), headache);
        });

        assertThat(published).isNotEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aConditionOutsideTheUnderstoodShapesCompilesWithAWarningNamingTheRule() {
        PlanDefinition plan = published();
        condition(plan, "muscle-wasting").setExpression("repeat(item).where(linkId = 'muscle-loss').answer.value > 0");

        List<ILoggingEvent> warnings = logged(() -> engine.compile(plan, Content.registry()));

        assertThat(warnings).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .startsWith("PlanDefinition " + RULES + ", action 'muscle-wasting': the condition is only partly"
                            + " checked")
                    .endsWith("uses the answers of 'muscle-loss' with the operator '>'");
        });
    }

    @Test
    void rulesWithATypoInAContentFolderAreNotLoaded() {
        ConformanceRegistry registry = HeadacheResponses.registryWithMeningism(
                "unknown-item", "(repeat(item).where(linkId = 'fever-stiff-nek').answer.value = true)");

        assertThatThrownBy(() -> new TriageRules(registry, engine))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("PlanDefinition " + HeadacheResponses.BASE
                        + "/PlanDefinition/headache-triage-unknown-item|1.0.0, action 'meningism'")
                .hasMessageContaining("'fever-stiff-nek'");
    }

    private static Map<String, List<String>> reads(RuleSet rules) {
        return rules.rules().stream().collect(Collectors.toMap(RuleSet.Rule::id, RuleSet.Rule::reads));
    }

    private static List<ILoggingEvent> logged(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(RuleSetCompiler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
    }

    private static Arguments bad(String name, String owner, String why, Consumer<PlanDefinition> change) {
        return Arguments.of(name, owner, why, change);
    }

    private static PlanDefinition published() {
        return Content.registry()
                .byId(PlanDefinition.class, "muscle-twitch-triage")
                .orElseThrow()
                .copy();
    }

    /** The published rules, declaring a later Questionnaire version too. */
    private static PlanDefinition declaringNextVersion() {
        PlanDefinition plan = published();
        plan.addRelatedArtifact(new RelatedArtifact()
                .setType(RelatedArtifactType.DEPENDSON)
                .setResource(ChecklistResponses.QUESTIONNAIRE + "|" + NEXT_VERSION));
        return plan;
    }

    /**
     * The published content plus a later Questionnaire version that opens with a display item
     * {@code emergency} and asks a boolean {@code one-side} in its first group.
     */
    private static ConformanceRegistry withNextVersion() {
        Questionnaire next = Content.registry()
                .byCanonical(Questionnaire.class, ChecklistResponses.QUESTIONNAIRE + "|1.0.0")
                .orElseThrow()
                .copy();
        next.setId("muscle-twitch-checklist-" + NEXT_VERSION);
        next.setVersion(NEXT_VERSION);
        next.getItem()
                .add(
                        0,
                        new QuestionnaireItemComponent()
                                .setLinkId("emergency")
                                .setType(QuestionnaireItemType.DISPLAY)
                                .setText("Not for emergencies."));
        next.getItem()
                .get(1)
                .addItem()
                .setLinkId("one-side")
                .setType(QuestionnaireItemType.BOOLEAN)
                .setText("Only on one side?");
        List<MetadataResource> resources = new ArrayList<>(Content.registry().all());
        resources.add(next);
        return new ConformanceRegistry(resources);
    }

    private static PlanDefinitionActionComponent action(PlanDefinition plan, String id) {
        return plan.getAction().stream()
                .filter(a -> id.equals(a.getId()))
                .findFirst()
                .orElseThrow();
    }

    private static Expression condition(PlanDefinition plan, String id) {
        return action(plan, id).getConditionFirstRep().getExpression();
    }

    private static Expression measure(PlanDefinition plan, String id) {
        return action(plan, id).getDynamicValueFirstRep().getExpression();
    }

    private static Expression variable(PlanDefinition plan, String name) {
        return plan.getExtensionsByUrl(RuleSetCompiler.VARIABLE_EXTENSION).stream()
                .map(e -> (Expression) e.getValue())
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow();
    }

    private static RuleSet.Rule rule(RuleSet rules, String id) {
        return rules.rules().stream().filter(r -> id.equals(r.id())).findFirst().orElseThrow();
    }
}
