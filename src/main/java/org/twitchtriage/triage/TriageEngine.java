package org.twitchtriage.triage;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.triage.RuleSet.GuidanceStep;
import org.twitchtriage.triage.RuleSet.Level;
import org.twitchtriage.triage.RuleSet.Measure;
import org.twitchtriage.triage.RuleSet.OrderSpec;
import org.twitchtriage.triage.RuleSet.Rule;
import org.twitchtriage.triage.RuleSet.Variable;
import org.twitchtriage.triage.TriageOutcome.FiredRule;
import org.twitchtriage.triage.TriageOutcome.MeasureValue;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;
import org.twitchtriage.triage.internal.FhirPath;
import org.twitchtriage.triage.internal.RuleSetCompiler;

/**
 * Evaluates a {@link RuleSet} over a QuestionnaireResponse. Every rule is evaluated; all that hold
 * fire. A rule that cannot be evaluated fails closed: its level still counts, and the outcome is
 * marked for review. Knows nothing of Spring or HTTP.
 */
public final class TriageEngine {

    private static final Logger log = LoggerFactory.getLogger(TriageEngine.class);
    private static final List<ServiceRequestPriority> PRIORITY_ORDER = List.of(
            ServiceRequestPriority.ROUTINE,
            ServiceRequestPriority.URGENT,
            ServiceRequestPriority.ASAP,
            ServiceRequestPriority.STAT);

    private final FhirPath fhirPath;

    public TriageEngine(FhirContext fhirContext) {
        this.fhirPath = new FhirPath(fhirContext);
    }

    /** Compiles a rules artifact; throws {@code InvalidContentException} naming what is malformed. */
    public RuleSet compile(PlanDefinition plan, ConformanceRegistry registry) {
        return RuleSetCompiler.compile(plan, registry, fhirPath);
    }

    public TriageOutcome evaluate(QuestionnaireResponse response, RuleSet rules) {
        Map<String, List<Base>> variables = new HashMap<>();
        for (Variable variable : rules.variables()) {
            try {
                variables.put(variable.name(), fhirPath.evaluate(response, variable.compiled(), variables));
            } catch (RuntimeException e) {
                // Left unset: every rule that uses it fails to evaluate, and so fails closed.
                log.warn(
                        "Triage variable '{}' of {} could not be evaluated ({})",
                        variable.name(),
                        rules.canonical(),
                        e.getClass().getSimpleName());
            }
        }
        Set<String> yes = linkIdsAnsweredYes(response);
        List<FiredRule> fired = new ArrayList<>();
        List<Rule> unevaluable = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            Boolean holds = holds(rule, response, variables, rules);
            if (holds == null) {
                unevaluable.add(rule);
            } else if (holds) {
                fired.add(fired(rule, yes, rules));
            }
        }
        Level level = level(fired, unevaluable, rules);
        return new TriageOutcome(
                rules,
                level,
                List.copyOf(fired),
                List.copyOf(unevaluable),
                measures(response, variables, rules),
                orders(fired, level, rules),
                steps(level, response, variables, rules));
    }

    /** true, false, or null when the condition cannot be evaluated to a single boolean. */
    private Boolean holds(Rule rule, QuestionnaireResponse response, Map<String, List<Base>> variables, RuleSet rules) {
        try {
            List<Base> result = fhirPath.evaluate(response, rule.compiled(), variables);
            if (result.isEmpty()) {
                return false;
            }
            if (result.size() == 1 && result.get(0) instanceof BooleanType value && value.getValue() != null) {
                return value.getValue();
            }
            log.warn(
                    "Triage rule '{}' of {} gave {} value(s) instead of one boolean",
                    rule.id(),
                    rules.canonical(),
                    result.size());
        } catch (RuntimeException e) {
            log.warn(
                    "Triage rule '{}' of {} could not be evaluated ({})",
                    rule.id(),
                    rules.canonical(),
                    e.getClass().getSimpleName());
        }
        return null;
    }

    private static FiredRule fired(Rule rule, Set<String> yes, RuleSet rules) {
        List<String> linkIds =
                rule.findingLinkIds().stream().filter(yes::contains).toList();
        List<Coding> findings = new ArrayList<>();
        linkIds.forEach(linkId -> findings.addAll(rules.findingCodes().getOrDefault(linkId, List.of())));
        if (findings.isEmpty() && rules.fallbackFinding() != null) {
            findings.add(rules.fallbackFinding());
        }
        return new FiredRule(rule, List.copyOf(findings), linkIds);
    }

    private static Level level(List<FiredRule> fired, List<Rule> unevaluable, RuleSet rules) {
        Level level = rules.defaultLevel();
        for (Rule rule : concat(fired.stream().map(FiredRule::rule).toList(), unevaluable)) {
            if (rule.level().rank() > level.rank()) {
                level = rule.level();
            }
        }
        return level;
    }

    private List<MeasureValue> measures(
            QuestionnaireResponse response, Map<String, List<Base>> variables, RuleSet rules) {
        List<MeasureValue> values = new ArrayList<>();
        for (Measure measure : rules.measures()) {
            Integer value = null;
            try {
                List<Base> result = fhirPath.evaluate(response, measure.compiled(), variables);
                if (result.size() == 1 && result.get(0).isPrimitive()) {
                    value = Integer.valueOf(result.get(0).primitiveValue());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Triage measure '{}' of {} could not be evaluated ({})",
                        measure.code().getCode(),
                        rules.canonical(),
                        e.getClass().getSimpleName());
            }
            values.add(new MeasureValue(measure, value));
        }
        return List.copyOf(values);
    }

    /** The fired rules' orders and the level's, merged to one per code at the highest priority. */
    private static List<PlacedOrder> orders(List<FiredRule> fired, Level level, RuleSet rules) {
        Map<String, PlacedOrder> byCode = new LinkedHashMap<>();
        List<Coding> allFindings = new ArrayList<>();
        for (FiredRule rule : fired) {
            allFindings.addAll(rule.findings());
            for (OrderSpec spec : rule.rule().orders()) {
                merge(byCode, spec, rule.findings(), rule.rule().id());
            }
        }
        if (allFindings.isEmpty() && rules.fallbackFinding() != null) {
            allFindings.add(rules.fallbackFinding());
        }
        for (OrderSpec spec : level.orders()) {
            merge(byCode, spec, allFindings, level.code().getCode());
        }
        return List.copyOf(byCode.values());
    }

    private static void merge(Map<String, PlacedOrder> byCode, OrderSpec spec, List<Coding> reasons, String source) {
        Coding code = spec.orderable().code();
        String key = code.getSystem() + "|" + code.getCode();
        PlacedOrder existing = byCode.get(key);
        if (existing == null) {
            byCode.put(
                    key,
                    new PlacedOrder(
                            spec.orderable(),
                            spec.priority(),
                            spec.requisitionGroup(),
                            spec.occurrenceDays(),
                            distinct(reasons),
                            List.of(source)));
            return;
        }
        boolean higher = PRIORITY_ORDER.indexOf(spec.priority()) > PRIORITY_ORDER.indexOf(existing.priority());
        byCode.put(
                key,
                new PlacedOrder(
                        existing.orderable(),
                        higher ? spec.priority() : existing.priority(),
                        existing.requisitionGroup() != null ? existing.requisitionGroup() : spec.requisitionGroup(),
                        higher ? spec.occurrenceDays() : existing.occurrenceDays(),
                        distinct(concat(existing.reasons(), reasons)),
                        concat(existing.ruleIds(), List.of(source))));
    }

    /**
     * The self-care plan when the level includes it: the steps whose condition (if any) holds, steps matching
     * any answer code first. A step whose condition cannot be evaluated is left out: it is advice, not a finding.
     */
    private List<GuidanceStep> steps(
            Level level, QuestionnaireResponse response, Map<String, List<Base>> variables, RuleSet rules) {
        if (!level.includesSelfCarePlan()) {
            return List.of();
        }
        Set<String> answered = answerCodes(response);
        return rules.selfCarePlan().stream()
                .filter(step -> applies(step, response, variables, rules))
                .sorted(Comparator.comparing(step ->
                        step.triggers().stream().noneMatch(t -> answered.contains(t.getSystem() + "|" + t.getCode()))))
                .toList();
    }

    private boolean applies(
            GuidanceStep step, QuestionnaireResponse response, Map<String, List<Base>> variables, RuleSet rules) {
        if (step.condition() == null) {
            return true;
        }
        try {
            List<Base> result = fhirPath.evaluate(response, step.condition(), variables);
            return result.size() == 1 && result.get(0) instanceof BooleanType value && value.booleanValue();
        } catch (RuntimeException e) {
            log.warn(
                    "Condition of guidance step '{}' of {} could not be evaluated ({})",
                    step.id(),
                    rules.canonical(),
                    e.getClass().getSimpleName());
            return false;
        }
    }

    private static Set<String> linkIdsAnsweredYes(QuestionnaireResponse response) {
        Set<String> yes = new LinkedHashSet<>();
        visit(response.getItem(), (item, answer) -> {
            if (answer.getValue() instanceof BooleanType value && Boolean.TRUE.equals(value.getValue())) {
                yes.add(item.getLinkId());
            }
        });
        return yes;
    }

    private static Set<String> answerCodes(QuestionnaireResponse response) {
        Set<String> codes = new LinkedHashSet<>();
        visit(response.getItem(), (item, answer) -> {
            if (answer.getValue() instanceof Coding coding) {
                codes.add(coding.getSystem() + "|" + coding.getCode());
            }
        });
        return codes;
    }

    private static void visit(
            List<QuestionnaireResponseItemComponent> items,
            BiConsumer<QuestionnaireResponseItemComponent, QuestionnaireResponseItemAnswerComponent> visitor) {
        for (QuestionnaireResponseItemComponent item : items) {
            for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                visitor.accept(item, answer);
                visit(answer.getItem(), visitor);
            }
            visit(item.getItem(), visitor);
        }
    }

    private static List<Coding> distinct(List<Coding> codings) {
        Map<String, Coding> unique = new LinkedHashMap<>();
        codings.forEach(c -> unique.putIfAbsent(c.getSystem() + "|" + c.getCode(), c));
        return List.copyOf(unique.values());
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
