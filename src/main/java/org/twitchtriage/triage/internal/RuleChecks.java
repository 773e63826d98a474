package org.twitchtriage.triage.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.triage.internal.RuleReferences.AnswerComparison;
import org.twitchtriage.triage.internal.RuleReferences.LiteralType;

/**
 * Judges what a rules expression refers to against the Questionnaire versions the rules declare: a name
 * that no version has, a code that is none of an item's answer options, or a literal of the wrong kind
 * makes a rule that can never fire as written, so it is a problem; what the checks cannot judge is a
 * doubt. A name or code counts when at least one declared version has it.
 */
public final class RuleChecks {

    private static final Set<QuestionnaireItemType> TEXT =
            Set.of(QuestionnaireItemType.STRING, QuestionnaireItemType.TEXT, QuestionnaireItemType.URL);
    private static final Set<QuestionnaireItemType> NOT_ANSWERABLE =
            Set.of(QuestionnaireItemType.GROUP, QuestionnaireItemType.DISPLAY, QuestionnaireItemType.NULL);

    /**
     * @param problems references that cannot be right, in words, first found first
     * @param doubts what the checks could not judge, in words
     */
    record Findings(List<String> problems, List<String> doubts) {}

    private record Verdict(Findings findings, boolean fits) {

        static final Verdict FITS = new Verdict(new Findings(List.of(), List.of()), true);

        static Verdict problem(String why) {
            return new Verdict(new Findings(List.of(why), List.of()), false);
        }

        static Verdict doubt(String why) {
            return new Verdict(new Findings(List.of(), List.of(why)), false);
        }
    }

    private final ConformanceRegistry registry;
    private final String versions;
    /** Each linkId's item in every declared version that has it, oldest version first. */
    private final Map<String, List<QuestionnaireItemComponent>> items = new LinkedHashMap<>();

    RuleChecks(List<Questionnaire> questionnaires, ConformanceRegistry registry) {
        this.registry = registry;
        this.versions = String.join(
                ", ",
                questionnaires.stream()
                        .map(q -> q.getUrl() + "|" + q.getVersion())
                        .toList());
        questionnaires.forEach(questionnaire -> index(questionnaire.getItem()));
    }

    private void index(List<QuestionnaireItemComponent> level) {
        for (QuestionnaireItemComponent item : level) {
            items.computeIfAbsent(item.getLinkId(), k -> new ArrayList<>()).add(item);
            index(item.getItem());
        }
    }

    Findings check(RuleReferences references, Collection<String> definedVariables) {
        List<String> problems = new ArrayList<>();
        List<String> doubts = new ArrayList<>(references.unclear());
        for (String linkId : references.linkIds()) {
            if (!items.containsKey(linkId)) {
                problems.add("names the item '" + linkId + "', which no Questionnaire version the rules declare has ("
                        + versions + ")");
            }
        }
        for (String variable : references.variables()) {
            if (!definedVariables.contains(variable)) {
                problems.add("uses %" + variable + ", which no triage-variable defines");
            }
        }
        for (AnswerComparison comparison : references.comparisons()) {
            Findings findings = judge(comparison);
            problems.addAll(findings.problems());
            doubts.addAll(findings.doubts());
        }
        return new Findings(List.copyOf(problems), List.copyOf(doubts));
    }

    /**
     * A boolean must suit every item compared (each answer is tested); a code only one of them, since
     * comparing it with the answers of several items asks whether any of them carries it.
     */
    private Findings judge(AnswerComparison comparison) {
        List<Verdict> verdicts = comparison.linkIds().stream()
                .map(linkId -> judge(linkId, comparison))
                .toList();
        if (comparison.type() == LiteralType.CODE && verdicts.stream().anyMatch(Verdict::fits)) {
            return Verdict.FITS.findings();
        }
        List<String> problems = new ArrayList<>();
        Set<String> doubts = new LinkedHashSet<>();
        verdicts.forEach(v -> {
            problems.addAll(v.findings().problems());
            doubts.addAll(v.findings().doubts());
        });
        return new Findings(problems, List.copyOf(doubts));
    }

    /** Fits when some declared version's item takes the literal; a doubt about one version outweighs refusal. */
    private Verdict judge(String linkId, AnswerComparison comparison) {
        List<QuestionnaireItemComponent> versions = items.getOrDefault(linkId, List.of());
        if (versions.isEmpty()) {
            return Verdict.FITS; // reported as an unknown name already
        }
        List<QuestionnaireItemComponent> answerable = versions.stream()
                .filter(item -> item.getType() != null && !NOT_ANSWERABLE.contains(item.getType()))
                .toList();
        if (answerable.isEmpty()) {
            return Verdict.problem("compares the answers of '" + linkId + "', which is not an answerable item ("
                    + (versions.get(0).getType() == null
                            ? "no type"
                            : versions.get(0).getType().toCode()) + ")");
        }
        Verdict worst = null;
        for (QuestionnaireItemComponent item : answerable) {
            Verdict verdict = comparison.type() == LiteralType.BOOLEAN
                    ? booleanVerdict(item, comparison)
                    : codeVerdict(item, comparison);
            if (verdict.fits()) {
                return verdict;
            }
            if (worst == null || !verdict.findings().doubts().isEmpty()) {
                worst = verdict;
            }
        }
        return worst;
    }

    private static Verdict booleanVerdict(QuestionnaireItemComponent item, AnswerComparison comparison) {
        return item.getType() == QuestionnaireItemType.BOOLEAN
                ? Verdict.FITS
                : Verdict.problem("compares the answers of '" + item.getLinkId() + "', a "
                        + item.getType().toCode() + " item, with the boolean " + comparison.value());
    }

    private Verdict codeVerdict(QuestionnaireItemComponent item, AnswerComparison comparison) {
        String linkId = item.getLinkId();
        String code = comparison.value();
        QuestionnaireItemType type = item.getType();
        if (TEXT.contains(type)) {
            return Verdict.FITS;
        }
        if (type != QuestionnaireItemType.CHOICE && type != QuestionnaireItemType.OPENCHOICE) {
            String what = "compares the answers of '" + linkId + "', a " + type.toCode() + " item, with the code '"
                    + code + "'";
            return type == QuestionnaireItemType.BOOLEAN ? Verdict.problem(what) : Verdict.doubt(what);
        }
        if (!comparison.byCode() && type == QuestionnaireItemType.CHOICE && codings(item)) {
            return Verdict.problem("compares the answers of '" + linkId + "', which are codings, with the text '" + code
                    + "', which no coding equals: compare their code (answer.value.code)");
        }
        Optional<Set<String>> options = options(item);
        if (options.isEmpty()) {
            return Verdict.doubt("cannot list the answer options of '" + linkId + "' (answerValueSet "
                    + item.getAnswerValueSet() + ") to check the code '" + code + "'");
        }
        if (options.get().contains(code)) {
            return Verdict.FITS;
        }
        String what = "compares the answers of '" + linkId + "' with the code '" + code
                + "', which is not one of its answer options";
        return type == QuestionnaireItemType.CHOICE
                ? Verdict.problem(what)
                : Verdict.doubt(what + " (open choice: it may be free text)");
    }

    private static boolean codings(QuestionnaireItemComponent item) {
        return item.hasAnswerValueSet()
                || item.getAnswerOption().stream().anyMatch(o -> o.getValue() instanceof Coding);
    }

    /** The item's answer codes (and plain values), or empty when its answerValueSet cannot be listed here. */
    private Optional<Set<String>> options(QuestionnaireItemComponent item) {
        Set<String> codes = new LinkedHashSet<>();
        for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
            codes.add(
                    option.getValue() instanceof Coding coding
                            ? coding.getCode()
                            : option.getValue().primitiveValue());
        }
        if (!item.hasAnswerValueSet()) {
            return Optional.of(codes);
        }
        Optional<Set<String>> listed =
                registry.byCanonical(ValueSet.class, item.getAnswerValueSet()).flatMap(this::codes);
        listed.ifPresent(codes::addAll);
        return listed.map(unused -> codes);
    }

    private Optional<Set<String>> codes(ValueSet valueSet) {
        Set<String> codes = new LinkedHashSet<>();
        if (valueSet.getCompose().hasExclude()) {
            return Optional.empty();
        }
        for (ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasFilter() || include.hasValueSet() || !include.hasSystem()) {
                return Optional.empty();
            }
            if (include.hasConcept()) {
                include.getConcept().forEach(concept -> codes.add(concept.getCode()));
                continue;
            }
            String system =
                    include.hasVersion() ? include.getSystem() + "|" + include.getVersion() : include.getSystem();
            Optional<CodeSystem> codeSystem = registry.byCanonical(CodeSystem.class, system);
            if (codeSystem.isEmpty()) {
                return Optional.empty();
            }
            addConcepts(codeSystem.get().getConcept(), codes);
        }
        return Optional.of(codes);
    }

    private static void addConcepts(List<ConceptDefinitionComponent> concepts, Set<String> into) {
        for (ConceptDefinitionComponent concept : concepts) {
            into.add(concept.getCode());
            addConcepts(concept.getConcept(), into);
        }
    }
}
