package org.twitchtriage.triage.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.ActionConditionKind;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.questionnaire.Versions;
import org.twitchtriage.triage.QuestionnaireWording;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.RuleSet.GuidanceStep;
import org.twitchtriage.triage.RuleSet.Level;
import org.twitchtriage.triage.RuleSet.Measure;
import org.twitchtriage.triage.RuleSet.OrderSpec;
import org.twitchtriage.triage.RuleSet.Orderable;
import org.twitchtriage.triage.RuleSet.Rule;
import org.twitchtriage.triage.RuleSet.Variable;
import org.twitchtriage.triage.RuleSet.WarningSigns;

/**
 * Compiles a rules PlanDefinition into a {@link RuleSet}. The Java knows the artifact's format (the
 * project's extensions and guidance codes, FHIR's variable extension), never its clinical content:
 * rules, levels, orders and texts all come from the files. Anything malformed stops compilation with
 * a message naming the action, and so does a reference that cannot be right ({@link RuleChecks}); a
 * condition, variable or measure the checks do not fully understand is named in a warning instead.
 */
public final class RuleSetCompiler {

    static final String LEVEL_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/triage-level";
    public static final String FINDING_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/triage-finding";
    static final String CATEGORY_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/order-category";
    public static final String VARIABLE_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/triage-variable";
    static final String GUIDANCE_SYSTEM = FhirIds.CANONICAL_BASE + "/CodeSystem/triage-guidance";
    static final String TIME_FRAME_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/triage-time-frame";
    private static final String FHIRPATH = "text/fhirpath";

    private static final Logger log = LoggerFactory.getLogger(RuleSetCompiler.class);

    private final PlanDefinition plan;
    private final ConformanceRegistry registry;
    private final FhirPath fhirPath;

    private final Map<String, Level> levels = new LinkedHashMap<>();
    private final Set<String> ruleCodes = new HashSet<>();
    /** What each variable defined so far refers to: a variable may use only those defined before it. */
    private final Map<String, RuleReferences> variableReferences = new LinkedHashMap<>();

    private String levelSystem;
    /** Judges references against the declared Questionnaire versions; set first thing when compiling. */
    private RuleChecks checks;

    private RuleSetCompiler(PlanDefinition plan, ConformanceRegistry registry, FhirPath fhirPath) {
        this.plan = plan;
        this.registry = registry;
        this.fhirPath = fhirPath;
    }

    public static RuleSet compile(PlanDefinition plan, ConformanceRegistry registry, FhirPath fhirPath) {
        return new RuleSetCompiler(plan, registry, fhirPath).compile();
    }

    private RuleSet compile() {
        List<Questionnaire> questionnaires = questionnaires();
        Questionnaire questionnaire = questionnaires.get(questionnaires.size() - 1);
        checks = new RuleChecks(questionnaires, registry);
        List<Variable> variables = variables();
        compileLevels();
        List<Rule> rules = new ArrayList<>();
        List<Measure> measures = new ArrayList<>();
        PlanDefinitionActionComponent selfCare = null;
        PlanDefinitionActionComponent warningSigns = null;
        for (PlanDefinitionActionComponent action : plan.getAction()) {
            if (action.hasCondition()) {
                rules.add(rule(action, questionnaires));
            } else if (action.getDynamicValue().stream().anyMatch(d -> "value".equals(d.getPath()))) {
                measures.add(measure(action));
            } else if (hasGuidanceCode(action, "self-care-plan")) {
                selfCare = action;
            } else if (hasGuidanceCode(action, "warning-signs")) {
                warningSigns = action;
            } else if (levelCode(action).isEmpty()) {
                throw fail(
                        action,
                        "is neither a rule (condition), a measure (dynamicValue 'value'), a level nor guidance");
            }
        }
        if (rules.isEmpty() || levels.isEmpty()) {
            throw fail(null, "needs at least one rule and one level");
        }
        Level lowest = levels.values().stream()
                .min((a, b) -> Integer.compare(a.rank(), b.rank()))
                .orElseThrow();
        return new RuleSet(
                plan.getUrl() + "|" + plan.getVersion(),
                questionnaire.getUrl(),
                questionnaires.stream()
                        .map(q -> q.getUrl() + "|" + q.getVersion())
                        .toList(),
                resultCode(),
                variables,
                List.copyOf(rules),
                List.copyOf(measures),
                Map.copyOf(levels),
                lowest,
                selfCare == null ? List.of() : steps(selfCare),
                selfCare == null ? null : selfCare.getTitle(),
                warningSigns == null ? null : warningSigns(warningSigns),
                findingCodes(questionnaires),
                outputProfiles(),
                questionnaire.getCodeFirstRep().hasCode() ? questionnaire.getCodeFirstRep() : null,
                QuestionnaireWording.of(questionnaires));
    }

    /**
     * The Questionnaire versions the rules declare they read (one depends-on each), oldest first. All must
     * share one url: rules are found by the url a response cites.
     */
    private List<Questionnaire> questionnaires() {
        List<Questionnaire> found = new ArrayList<>();
        for (RelatedArtifact artifact : plan.getRelatedArtifact()) {
            if (artifact.getType() != RelatedArtifact.RelatedArtifactType.DEPENDSON
                    || !artifact.hasResource()
                    || !artifact.getResource().contains("/Questionnaire/")) {
                continue;
            }
            Questionnaire questionnaire = registry.byCanonical(Questionnaire.class, artifact.getResource())
                    .orElseThrow(() -> fail(null, "depends on " + artifact.getResource() + ", which is not published"));
            if (!found.isEmpty() && !found.get(0).getUrl().equals(questionnaire.getUrl())) {
                throw fail(
                        null,
                        "depends on two different Questionnaires: "
                                + found.get(0).getUrl() + " and " + questionnaire.getUrl());
            }
            found.add(questionnaire);
        }
        if (found.isEmpty()) {
            throw fail(null, "needs a relatedArtifact 'depends-on' naming a published Questionnaire");
        }
        found.sort(Comparator.comparing(Questionnaire::getVersion, Versions.ORDER));
        return List.copyOf(found);
    }

    private Coding resultCode() {
        Coding code = plan.getTopicFirstRep().getCodingFirstRep();
        if (!code.hasSystem() || !code.hasCode()) {
            throw fail(null, "needs a topic coding: the code of the Observation that records the result");
        }
        return code;
    }

    /** The profiles the written resources claim: StructureDefinitions the rules name as depends-on. */
    private Map<String, String> outputProfiles() {
        Map<String, String> profiles = new HashMap<>();
        for (RelatedArtifact artifact : plan.getRelatedArtifact()) {
            if (artifact.getType() == RelatedArtifact.RelatedArtifactType.DEPENDSON && artifact.hasResource()) {
                registry.byCanonical(StructureDefinition.class, artifact.getResource())
                        .filter(sd -> sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE)
                        .ifPresent(sd -> profiles.put(sd.getType(), sd.getUrl()));
            }
        }
        return Map.copyOf(profiles);
    }

    private List<Variable> variables() {
        List<Variable> variables = new ArrayList<>();
        for (Extension extension : plan.getExtensionsByUrl(VARIABLE_EXTENSION)) {
            if (!(extension.getValue() instanceof Expression expression) || !expression.hasName()) {
                throw fail(null, "has a variable that is not a named Expression");
            }
            if (variables.stream().anyMatch(v -> v.name().equals(expression.getName()))) {
                throw fail(null, "defines the variable '" + expression.getName() + "' twice");
            }
            String what = "variable '" + expression.getName() + "'";
            ExpressionNode compiled = parse(expression, what, null);
            variableReferences.put(
                    expression.getName(), check(RuleReferences.of(compiled, variableReferences), what, null));
            variables.add(new Variable(expression.getName(), expression.getExpression(), compiled));
        }
        return List.copyOf(variables);
    }

    private void compileLevels() {
        for (PlanDefinitionActionComponent action : plan.getAction()) {
            Optional<Coding> code = levelCode(action);
            if (code.isPresent() && !action.hasCondition()) {
                for (var related : action.getRelatedAction()) {
                    if (plan.getAction().stream()
                            .noneMatch(a -> related.getActionId().equals(a.getId()))) {
                        throw fail(action, "relates to action '" + related.getActionId() + "', which does not exist");
                    }
                }
                if (levels.containsKey(code.get().getCode())) {
                    throw fail(action, "defines level '" + code.get().getCode() + "' a second time");
                }
                boolean selfCare = action.getRelatedAction().stream()
                        .anyMatch(r -> plan.getAction().stream()
                                .anyMatch(a -> a.getId() != null
                                        && a.getId().equals(r.getActionId())
                                        && hasGuidanceCode(a, "self-care-plan")));
                levels.put(
                        code.get().getCode(),
                        new Level(
                                code.get(),
                                rank(code.get(), action),
                                action.getTitle(),
                                action.getDescription(),
                                timeFrame(action),
                                orders(action.getAction(), null, action),
                                selfCare));
            }
        }
    }

    /** An action's level coding: a coding from the CodeSystem that rules take their levels from. */
    private Optional<Coding> levelCode(PlanDefinitionActionComponent action) {
        String system = levelSystem();
        return action.getCode().stream()
                .flatMap(c -> c.getCoding().stream())
                .filter(c -> system.equals(c.getSystem()))
                .findFirst();
    }

    private String levelSystem() {
        if (levelSystem == null) {
            levelSystem = plan.getAction().stream()
                    .map(a -> a.getExtensionByUrl(LEVEL_EXTENSION))
                    .filter(e -> e != null && e.getValue() instanceof Coding)
                    .map(e -> ((Coding) e.getValue()).getSystem())
                    .findFirst()
                    .orElseThrow(() -> fail(null, "no rule names its level (extension " + LEVEL_EXTENSION + ")"));
        }
        return levelSystem;
    }

    private int rank(Coding level, PlanDefinitionActionComponent action) {
        CodeSystem codeSystem = registry.byCanonical(CodeSystem.class, level.getSystem())
                .orElseThrow(
                        () -> fail(action, "uses level code system " + level.getSystem() + ", which is not published"));
        ConceptDefinitionComponent concept = codeSystem.getConcept().stream()
                .filter(c -> level.getCode().equals(c.getCode()))
                .findFirst()
                .orElseThrow(() -> fail(action, "uses level '" + level.getCode() + "', which its code system lacks"));
        return concept.getProperty().stream()
                .filter(p -> "rank".equals(p.getCode()) && p.getValue() instanceof IntegerType)
                .map(p -> ((IntegerType) p.getValue()).getValue())
                .findFirst()
                .orElseThrow(() -> fail(action, "level '" + level.getCode() + "' has no integer 'rank' property"));
    }

    private Rule rule(PlanDefinitionActionComponent action, List<Questionnaire> questionnaires) {
        if (action.getCondition().size() != 1
                || action.getConditionFirstRep().getKind() != ActionConditionKind.APPLICABILITY) {
            throw fail(action, "needs exactly one applicability condition");
        }
        Coding code = action.getCodeFirstRep().getCodingFirstRep();
        if (!code.hasCode() || !code.hasSystem()) {
            throw fail(action, "needs a code (system and code) naming the rule");
        }
        if (!ruleCodes.add(code.getSystem() + "|" + code.getCode())) {
            throw fail(action, "uses the rule code '" + code.getCode() + "' of another rule");
        }
        Extension levelExtension = action.getExtensionByUrl(LEVEL_EXTENSION);
        if (levelExtension == null || !(levelExtension.getValue() instanceof Coding level)) {
            throw fail(action, "needs its level (extension " + LEVEL_EXTENSION + ")");
        }
        if (!levelSystem().equals(level.getSystem())) {
            throw fail(action, "takes its level from " + level.getSystem() + ", other rules from " + levelSystem());
        }
        Level assigned = levels.get(level.getCode());
        if (assigned == null) {
            throw fail(action, "assigns level '" + level.getCode() + "', for which no level action exists");
        }
        List<String> findings = new ArrayList<>();
        for (Extension finding : action.getExtensionsByUrl(FINDING_EXTENSION)) {
            if (!(finding.getValue() instanceof PrimitiveType<?> linkId) || !linkId.hasValue()) {
                throw fail(action, "has a finding extension that is not a linkId string");
            }
            findings.add(linkId.getValueAsString());
        }
        for (String linkId : findings) {
            if (questionnaires.stream().allMatch(q -> item(q.getItem(), linkId) == null)) {
                throw fail(action, "cites finding '" + linkId + "', which is not an item of the Questionnaire");
            }
        }
        Expression condition = action.getConditionFirstRep().getExpression();
        ExpressionNode compiled = parse(condition, "the condition", action);
        RuleReferences references =
                check(RuleReferences.ofCondition(compiled, variableReferences), "the condition", action);
        return new Rule(
                code.getCode(),
                code,
                action.getTitle(),
                assigned,
                condition.getExpression(),
                compiled,
                findings,
                references.reads(),
                orders(action.getAction(), null, action));
    }

    private Measure measure(PlanDefinitionActionComponent action) {
        Expression expression = action.getDynamicValue().stream()
                .filter(d -> "value".equals(d.getPath()))
                .findFirst()
                .orElseThrow()
                .getExpression();
        Coding code = action.getCodeFirstRep().getCodingFirstRep();
        if (!code.hasSystem() || !code.hasCode()) {
            throw fail(action, "needs a code (system and code) for the component it reports");
        }
        ExpressionNode compiled = parse(expression, "the measure", action);
        check(RuleReferences.of(compiled, variableReferences), "the measure", action);
        return new Measure(
                action.getCodeFirstRep().getCodingFirstRep(), action.getTitle(), expression.getExpression(), compiled);
    }

    private List<OrderSpec> orders(
            List<PlanDefinitionActionComponent> actions, String group, PlanDefinitionActionComponent owner) {
        List<OrderSpec> orders = new ArrayList<>();
        for (PlanDefinitionActionComponent action : actions) {
            if (action.hasAction()) {
                orders.addAll(orders(action.getAction(), action.getId(), owner));
                continue;
            }
            if (!action.hasDefinitionCanonicalType()) {
                throw fail(owner, "has a sub-action without definitionCanonical");
            }
            if (!action.hasPriority()) {
                throw fail(
                        owner, "orders " + action.getDefinitionCanonicalType().getValue() + " without a priority");
            }
            orders.add(new OrderSpec(
                    action.getId(),
                    orderable(action, owner),
                    ServiceRequestPriority.fromCode(action.getPriority().toCode()),
                    group,
                    occurrenceDays(action, owner)));
        }
        return List.copyOf(orders);
    }

    private Integer occurrenceDays(PlanDefinitionActionComponent action, PlanDefinitionActionComponent owner) {
        if (!action.hasTimingDuration()) {
            return null;
        }
        if (!"d".equals(action.getTimingDuration().getCode())
                || action.getTimingDuration().getValue() == null) {
            throw fail(owner, "gives a timingDuration that is not in days (UCUM 'd')");
        }
        try {
            return action.getTimingDuration().getValue().intValueExact();
        } catch (ArithmeticException e) {
            throw fail(owner, "gives a timingDuration that is not a whole number of days");
        }
    }

    private Orderable orderable(PlanDefinitionActionComponent action, PlanDefinitionActionComponent owner) {
        String canonical = action.getDefinitionCanonicalType().getValue();
        ActivityDefinition definition = registry.byCanonical(ActivityDefinition.class, canonical)
                .orElseThrow(() -> fail(owner, "orders " + canonical + ", which is not published"));
        if (!definition.getCode().hasCoding()) {
            throw fail(owner, "orders " + canonical + ", which has no code");
        }
        Extension category = definition.getExtensionByUrl(CATEGORY_EXTENSION);
        CodeableConcept performer = definition.getParticipant().stream()
                .filter(p -> p.hasRole())
                .map(p -> p.getRole())
                .findFirst()
                .orElse(null);
        return new Orderable(
                canonical,
                definition.hasProfile() ? definition.getProfile() : null,
                definition.getCode().getCodingFirstRep(),
                category == null ? null : (CodeableConcept) category.getValue(),
                performer,
                patientInstruction(definition, owner),
                definition.getTitle());
    }

    private String patientInstruction(ActivityDefinition definition, PlanDefinitionActionComponent owner) {
        return definition.getDynamicValue().stream()
                .filter(d -> "patientInstruction".equals(d.getPath()))
                .findFirst()
                .map(d -> {
                    List<Base> value = fhirPath.evaluate(
                            definition, parse(d.getExpression(), "patientInstruction", owner), new HashMap<>());
                    if (value.size() != 1 || !value.get(0).isPrimitive()) {
                        throw fail(owner, definition.getUrl() + ": patientInstruction must evaluate to one string");
                    }
                    return value.get(0).primitiveValue();
                })
                .orElse(null);
    }

    private String timeFrame(PlanDefinitionActionComponent level) {
        Extension extension = level.getExtensionByUrl(TIME_FRAME_EXTENSION);
        if (extension == null) {
            return null;
        }
        if (!(extension.getValue() instanceof PrimitiveType<?> text)
                || !text.hasValue()
                || text.getValueAsString().isBlank()) {
            throw fail(level, "has a time frame that is not a text");
        }
        return text.getValueAsString();
    }

    private List<GuidanceStep> steps(PlanDefinitionActionComponent selfCare) {
        List<GuidanceStep> steps = new ArrayList<>();
        for (PlanDefinitionActionComponent step : selfCare.getAction()) {
            ExpressionNode condition = null;
            if (step.hasCondition()) {
                String what = "the condition of step '" + step.getId() + "'";
                condition = parse(step.getConditionFirstRep().getExpression(), what, step);
                check(RuleReferences.ofCondition(condition, variableReferences), what, step);
            }
            steps.add(new GuidanceStep(
                    step.getId(),
                    step.getTitle(),
                    step.getDescription(),
                    step.getCode().stream()
                            .flatMap(c -> c.getCoding().stream())
                            .filter(c -> !GUIDANCE_SYSTEM.equals(c.getSystem()))
                            .toList(),
                    condition));
        }
        return List.copyOf(steps);
    }

    /** The signs as a list (one sub-action each), or the action's description as the one entry. */
    private WarningSigns warningSigns(PlanDefinitionActionComponent action) {
        if (!action.hasAction()) {
            return new WarningSigns(null, List.of(action.getDescription()));
        }
        List<String> signs = new ArrayList<>();
        for (PlanDefinitionActionComponent sign : action.getAction()) {
            if (!sign.hasDescription()) {
                throw fail(action, "has a warning sign without a description");
            }
            signs.add(sign.getDescription());
        }
        return new WarningSigns(action.getTitle(), List.copyOf(signs));
    }

    /** Item codes by linkId; a later Questionnaire version's codes win over an earlier one's. */
    private Map<String, List<Coding>> findingCodes(List<Questionnaire> questionnaires) {
        Map<String, List<Coding>> codes = new HashMap<>();
        questionnaires.forEach(questionnaire -> collectCodes(questionnaire.getItem(), codes));
        return Map.copyOf(codes);
    }

    private static void collectCodes(List<QuestionnaireItemComponent> items, Map<String, List<Coding>> into) {
        for (QuestionnaireItemComponent item : items) {
            into.put(item.getLinkId(), List.copyOf(item.getCode()));
            collectCodes(item.getItem(), into);
        }
    }

    private static QuestionnaireItemComponent item(List<QuestionnaireItemComponent> items, String linkId) {
        for (QuestionnaireItemComponent item : items) {
            if (linkId.equals(item.getLinkId())) {
                return item;
            }
            QuestionnaireItemComponent nested = item(item.getItem(), linkId);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    /**
     * Refuses an expression whose references cannot be right (it could never hold as written, or would fail
     * every evaluation); warns, once per compilation, about parts the checks do not understand.
     */
    private RuleReferences check(RuleReferences references, String what, PlanDefinitionActionComponent owner) {
        RuleChecks.Findings findings = checks.check(references, variableReferences.keySet());
        if (!findings.problems().isEmpty()) {
            throw fail(owner, what + " " + findings.problems().get(0));
        }
        if (!findings.doubts().isEmpty()) {
            log.warn(
                    "{}: {} is only partly checked, and the questions it reads may be incomplete: {}",
                    where(owner),
                    what,
                    String.join("; ", findings.doubts()));
        }
        return references;
    }

    private static boolean hasGuidanceCode(PlanDefinitionActionComponent action, String code) {
        return action.getCode().stream()
                .flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> GUIDANCE_SYSTEM.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private ExpressionNode parse(Expression expression, String what, PlanDefinitionActionComponent owner) {
        if (!FHIRPATH.equals(expression.getLanguage()) || !expression.hasExpression()) {
            throw fail(owner, what + " must be a text/fhirpath expression");
        }
        try {
            return fhirPath.parse(expression.getExpression());
        } catch (RuntimeException e) {
            throw fail(owner, what + " '" + expression.getExpression() + "' does not parse: " + e.getMessage());
        }
    }

    private InvalidContentException fail(PlanDefinitionActionComponent action, String why) {
        return new InvalidContentException(where(action) + ": " + why);
    }

    private String where(PlanDefinitionActionComponent action) {
        return "PlanDefinition " + plan.getUrl() + "|" + plan.getVersion()
                + (action == null ? "" : ", action '" + (action.hasId() ? action.getId() : action.getTitle()) + "'");
    }
}
