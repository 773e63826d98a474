package org.twitchtriage.triage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.ActionConditionKind;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.HeadacheResponses;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageRules;

/**
 * A malformed rules artifact stops start-up with a message naming the action at fault. Each case is the
 * published PlanDefinition, copied from the registry and broken in one place.
 */
class RuleSetCompilerTest {

    private static final String RULES = "http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage";
    private static final String ACTIVITY = "http://twitchtriage.org/fhir/ActivityDefinition/";

    private static TriageEngine engine;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
    }

    @Test
    void thePublishedRulesCompile() {
        RuleSet rules = engine.compile(published(), Content.registry());

        assertThat(rules.canonical()).isEqualTo(RULES + "|1.1.0");
        assertThat(rules.questionnaireUrl()).isEqualTo(ChecklistResponses.QUESTIONNAIRE);
        assertThat(rules.rules())
                .extracting(RuleSet.Rule::id)
                .containsExactly(
                        "muscle-wasting",
                        "neuro-deficit",
                        "progressive-weakness",
                        "spreading",
                        "two-or-more",
                        "persistent-worsening",
                        "weakness-persistent-or-one-side",
                        "worsening",
                        "persistent",
                        "single-flag",
                        "eyelid");
        assertThat(rules.levels()).hasSize(5);
        assertThat(rules.questionnaireVersions())
                .containsExactly(ChecklistResponses.CANONICAL, ChecklistResponses.CANONICAL_1_1);
        assertThat(rules.levels().values())
                .allSatisfy(level -> assertThat(level.timeFrame()).isNotBlank());
    }

    @Test
    void anActiveQuestionnaireVersionTheRulesDoNotDeclareIsRefused() {
        PlanDefinition plan = published();
        plan.getRelatedArtifact().removeIf(a -> ChecklistResponses.CANONICAL.equals(a.getResource()));

        assertThatThrownBy(() -> new TriageRules(registryWith(plan, true), engine))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("Questionnaire " + ChecklistResponses.CANONICAL + " is active")
                .hasMessageContaining("do not declare it");
    }

    static Stream<Arguments> brokenActions() {
        return Stream.of(
                broken(
                        "condition does not parse",
                        "spreading",
                        "does not parse",
                        p -> condition(p, "spreading").setExpression("repeat(item).where(linkId = 'spreading'")),
                broken(
                        "condition is not FHIRPath",
                        "persistent",
                        "must be a text/fhirpath expression",
                        p -> condition(p, "persistent").setLanguage("text/cql")),
                broken(
                        "condition is empty",
                        "persistent",
                        "must be a text/fhirpath expression",
                        p -> condition(p, "persistent").setExpression(null)),
                broken(
                        "two conditions",
                        "spreading",
                        "needs exactly one applicability condition",
                        p -> action(p, "spreading")
                                .addCondition(action(p, "spreading")
                                        .getConditionFirstRep()
                                        .copy())),
                broken(
                        "a start condition",
                        "spreading",
                        "needs exactly one applicability condition",
                        p -> action(p, "spreading").getConditionFirstRep().setKind(ActionConditionKind.START)),
                broken(
                        "rule without a code",
                        "two-or-more",
                        "needs a code (system and code) naming the rule",
                        p -> action(p, "two-or-more").getCode().clear()),
                broken(
                        "rule without a level",
                        "eyelid",
                        "needs its level",
                        p -> action(p, "eyelid").removeExtension(RuleSetCompiler.LEVEL_EXTENSION)),
                broken(
                        "rule level without a value",
                        "spreading",
                        "needs its level",
                        p -> action(p, "spreading")
                                .getExtensionByUrl(RuleSetCompiler.LEVEL_EXTENSION)
                                .setValue(null)),
                broken(
                        "rule level that no level action has",
                        "neuro-deficit",
                        "assigns level 'critical'",
                        p -> ruleLevel(p, "neuro-deficit").setCode("critical")),
                broken(
                        "level code missing from the level CodeSystem",
                        "level-urgent",
                        "uses level 'very-urgent', which its code system lacks",
                        p -> action(p, "level-urgent")
                                .getCodeFirstRep()
                                .getCodingFirstRep()
                                .setCode("very-urgent")),
                broken(
                        "order of an unpublished ActivityDefinition",
                        "neuro-deficit",
                        ACTIVITY + "mri-referral|9.9.9, which is not published",
                        p -> action(p, "neuro-deficit")
                                .getActionFirstRep()
                                .setDefinition(new CanonicalType(ACTIVITY + "mri-referral|9.9.9"))),
                broken(
                        "blood panel test that is not published",
                        "progressive-weakness",
                        ACTIVITY + "lab-tsh|2.0.0, which is not published",
                        p -> subAction(action(p, "progressive-weakness"), "lab-tsh")
                                .setDefinition(new CanonicalType(ACTIVITY + "lab-tsh|2.0.0"))),
                broken(
                        "level order of an unpublished ActivityDefinition",
                        "level-immediate",
                        ACTIVITY + "neurology-referral-typo|1.0.0, which is not published",
                        p -> action(p, "level-immediate")
                                .getActionFirstRep()
                                .setDefinition(new CanonicalType(ACTIVITY + "neurology-referral-typo|1.0.0"))),
                broken(
                        "order without a priority",
                        "eyelid",
                        "without a priority",
                        p -> action(p, "eyelid").getActionFirstRep().setPriority(null)),
                broken(
                        "order without a definition",
                        "muscle-wasting",
                        "has a sub-action without definitionCanonical",
                        p -> action(p, "muscle-wasting").getActionFirstRep().setDefinition(null)),
                broken(
                        "time window not in days",
                        "level-soon",
                        "timingDuration that is not in days",
                        p -> action(p, "level-soon")
                                .getActionFirstRep()
                                .getTimingDuration()
                                .setCode("wk")),
                broken(
                        "finding that is not an item",
                        "spreading",
                        "cites finding 'spreading-fast', which is not an item of the Questionnaire",
                        p -> action(p, "spreading")
                                .getExtensionByUrl(RuleSetCompiler.FINDING_EXTENSION)
                                .setValue(new StringType("spreading-fast"))),
                broken(
                        "measure does not parse",
                        "checklist-count",
                        "does not parse",
                        p -> action(p, "checklist-count")
                                .getDynamicValueFirstRep()
                                .getExpression()
                                .setExpression("%checklistCount +")),
                broken(
                        "action of no known kind",
                        "warning-signs",
                        "is neither a rule",
                        p -> action(p, "warning-signs")
                                .getCodeFirstRep()
                                .getCodingFirstRep()
                                .setCode("order-instruction")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenActions")
    void aMalformedActionIsNamed(String name, String actionId, String why, Consumer<PlanDefinition> change) {
        PlanDefinition plan = published();
        change.accept(plan);

        assertThatThrownBy(() -> engine.compile(plan, Content.registry()))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("PlanDefinition " + RULES + "|1.1.0, action '" + actionId + "'")
                .hasMessageContaining(why);
    }

    static Stream<Arguments> brokenPlans() {
        return Stream.of(
                Arguments.of("variable does not parse", "variable 'locations'", (Consumer<PlanDefinition>)
                        p -> variable(p, "locations").setExpression("repeat(item).where(")),
                Arguments.of("variable without a name", "has a variable that is not a named Expression", (Consumer<
                                PlanDefinition>)
                        p -> variable(p, "locations").setName(null)),
                Arguments.of(
                        "Questionnaire not published",
                        "depends on " + ChecklistResponses.QUESTIONNAIRE + "|9.0.0, which is not published",
                        (Consumer<PlanDefinition>) p -> p.getRelatedArtifactFirstRep()
                                .setResource(ChecklistResponses.QUESTIONNAIRE + "|9.0.0")),
                Arguments.of("no result code", "needs a topic coding", (Consumer<PlanDefinition>)
                        p -> p.getTopic().clear()),
                Arguments.of("no rule names a level", "no rule names its level", (Consumer<PlanDefinition>)
                        p -> p.getAction().forEach(a -> a.removeExtension(RuleSetCompiler.LEVEL_EXTENSION))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPlans")
    void aMalformedPlanIsNamed(String name, String why, Consumer<PlanDefinition> change) {
        PlanDefinition plan = published();
        change.accept(plan);

        assertThatThrownBy(() -> engine.compile(plan, Content.registry()))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("PlanDefinition " + RULES + "|1.1.0")
                .hasMessageContaining(why);
    }

    @Test
    void aMalformedPublishedArtifactStopsTheRulesFromLoading() {
        PlanDefinition plan = published();
        condition(plan, "single-flag").setExpression("%checklistCount = = 1");

        assertThatThrownBy(() -> new TriageRules(registryWith(plan, true), engine))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("action 'single-flag'")
                .hasMessageContaining("does not parse");
    }

    @Test
    void twoActiveRuleSetsForOneQuestionnaireAreRefused() {
        PlanDefinition second = published();
        second.setId("muscle-twitch-triage-next");
        second.setVersion("1.2.0");

        assertThatThrownBy(() -> new TriageRules(registryWith(second, false), engine))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("Questionnaire " + ChecklistResponses.QUESTIONNAIRE + " has two active rule sets")
                .hasMessageContaining(RULES + "|1.1.0")
                .hasMessageContaining(RULES + "|1.2.0");
    }

    @Test
    void aRuleSetThatIsNotActiveIsNotLoaded() {
        PlanDefinition draft = published();
        draft.setId("muscle-twitch-triage-draft");
        draft.setVersion("1.2.0");
        draft.setStatus(PublicationStatus.DRAFT);
        condition(draft, "spreading").setExpression("this does not parse (");

        TriageRules rules = new TriageRules(registryWith(draft, false), engine);

        assertThat(rules.all()).extracting(RuleSet::canonical).containsExactly(RULES + "|1.1.0");
    }

    private static Arguments broken(String name, String actionId, String why, Consumer<PlanDefinition> change) {
        return Arguments.of(name, actionId, why, change);
    }

    private static PlanDefinition published() {
        return Content.registry()
                .byId(PlanDefinition.class, "muscle-twitch-triage-1.1.0")
                .orElseThrow()
                .copy();
    }

    /** The published content with {@code plan} added, or in place of the published rules. */
    private static ConformanceRegistry registryWith(PlanDefinition plan, boolean replacing) {
        List<MetadataResource> resources = new ArrayList<>(Content.registry().all());
        if (replacing) {
            resources.removeIf(
                    r -> r instanceof PlanDefinition && plan.getIdPart().equals(r.getIdPart()));
        }
        resources.add(plan);
        return new ConformanceRegistry(resources);
    }

    private static PlanDefinitionActionComponent action(PlanDefinition plan, String id) {
        return plan.getAction().stream()
                .filter(a -> id.equals(a.getId()))
                .findFirst()
                .orElseThrow();
    }

    /** The sub-action with this id, however deep (the blood panel's tests sit one level down). */
    private static PlanDefinitionActionComponent subAction(PlanDefinitionActionComponent parent, String id) {
        for (PlanDefinitionActionComponent child : parent.getAction()) {
            PlanDefinitionActionComponent found = id.equals(child.getId()) ? child : subAction(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Expression condition(PlanDefinition plan, String id) {
        return action(plan, id).getConditionFirstRep().getExpression();
    }

    private static Coding ruleLevel(PlanDefinition plan, String id) {
        return (Coding) action(plan, id)
                .getExtensionByUrl(RuleSetCompiler.LEVEL_EXTENSION)
                .getValue();
    }

    private static Expression variable(PlanDefinition plan, String name) {
        return plan.getExtensionsByUrl(RuleSetCompiler.VARIABLE_EXTENSION).stream()
                .map(e -> (Expression) e.getValue())
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aVariableNoRuleDefinesIsRefusedWhenCompiling() {
        ConformanceRegistry registry = HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST_WITHOUT_RULES);
        PlanDefinition broken = HeadacheResponses.rulesWithMeningism("unknown-variable", "%feverWithStiffNeck");

        assertThatThrownBy(() -> new TriageEngine(Content.FHIR).compile(broken, registry))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("action 'meningism'")
                .hasMessageContaining("%feverWithStiffNeck");
    }

    @Test
    void aLevelDefinedTwiceIsRefused() {
        PlanDefinition plan = published();
        action(plan, "level-self-care").getCode().get(0).getCodingFirstRep().setCode("monitor");

        assertThatThrownBy(() -> new TriageEngine(Content.FHIR).compile(plan, registryWith(plan, true)))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("level 'monitor' a second time");
    }
}
