package org.twitchtriage.triage.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Type;
import org.twitchtriage.triage.QuestionnaireWording.Question;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.RuleSet.Rule;
import org.twitchtriage.triage.TriageOutcome;
import org.twitchtriage.triage.TriageOutcome.FiredRule;
import org.twitchtriage.triage.TriageOutcome.MeasureValue;

/**
 * The clinician-readable explanation recorded on the Observation, one line per note: the level and the rules
 * that ran, then each fired rule by its title with the questions and answers that made it fire, then what
 * could not be evaluated. In the Questionnaire's words, never the rules' expressions: a clinician reads it
 * without knowing FHIRPath or the rules' code systems.
 */
public final class TriageNote {

    private TriageNote() {}

    public static List<String> explain(QuestionnaireResponse response, TriageOutcome outcome) {
        List<String> lines = new ArrayList<>();
        lines.add(summary(response, outcome));
        Map<String, List<Type>> answers = answers(response);
        for (FiredRule fired : outcome.fired()) {
            lines.add(fired(fired.rule(), response.getQuestionnaire(), answers, outcome.ruleSet()));
        }
        for (Rule rule : outcome.unevaluable()) {
            lines.add("NEEDS REVIEW: " + named(rule) + " could not be evaluated. Its level was counted as if it had"
                    + " fired and its orders were not placed: check the answers yourself.");
        }
        for (MeasureValue measure : outcome.measures()) {
            if (measure.value() == null) {
                lines.add("NEEDS REVIEW: “" + measure.measure().title() + "” could not be worked out (measure '"
                        + measure.measure().code().getCode() + "').");
            }
        }
        return List.copyOf(lines);
    }

    private static String summary(QuestionnaireResponse response, TriageOutcome outcome) {
        StringBuilder line = new StringBuilder("Level: ")
                .append(outcome.level().title())
                .append(" ('")
                .append(outcome.level().code().getCode())
                .append("'), by rules ")
                .append(outcome.ruleSet().canonical())
                .append(" applied to the answers to ")
                .append(response.getQuestionnaire())
                .append('.');
        if (outcome.fired().isEmpty()) {
            line.append(
                    outcome.unevaluable().isEmpty() ? " No rule fired: the lowest level applies." : " No rule fired.");
        }
        return line.toString();
    }

    private static String fired(Rule rule, String cited, Map<String, List<Type>> answers, RuleSet rules) {
        List<String> because = new ArrayList<>();
        for (String linkId : rule.reads()) {
            Optional<Question> question = rules.wording().question(cited, linkId);
            List<Type> given = answers.getOrDefault(linkId, List.of());
            answered(question.orElse(null), linkId, given).ifPresent(because::add);
        }
        String line = "Fired: " + named(rule);
        return because.isEmpty() ? line + "." : line + ", because of the answers " + String.join("; ", because) + ".";
    }

    /** A boolean only when answered yes; any other item with its answers; nothing for an item not answered. */
    private static Optional<String> answered(Question question, String linkId, List<Type> given) {
        if (given.isEmpty()) {
            return Optional.empty();
        }
        boolean yesNo = question != null ? question.yesNo() : given.stream().allMatch(BooleanType.class::isInstance);
        if (yesNo && given.stream().noneMatch(TriageNote::isYes)) {
            return Optional.empty();
        }
        String text = question != null ? question.text() : linkId;
        String words = yesNo
                ? "Yes"
                : given.stream().map(value -> words(question, value)).collect(Collectors.joining(", "));
        return Optional.of("“" + text + "” " + words);
    }

    private static String words(Question question, Type value) {
        if (value instanceof Coding coding) {
            if (question != null) {
                return question.display(coding);
            }
            return coding.hasDisplay() ? coding.getDisplay() : coding.getCode();
        }
        if (value instanceof BooleanType bool) {
            return bool.booleanValue() ? "Yes" : "No";
        }
        return value.isPrimitive() ? value.primitiveValue() : value.fhirType();
    }

    private static boolean isYes(Type value) {
        return value instanceof BooleanType bool && Boolean.TRUE.equals(bool.getValue());
    }

    private static String named(Rule rule) {
        return "“" + (rule.title() != null ? rule.title() : rule.id()) + "” (rule '" + rule.id() + "', level '"
                + rule.level().code().getCode() + "')";
    }

    /** Every answer of the response by linkId, wherever the item sits. */
    private static Map<String, List<Type>> answers(QuestionnaireResponse response) {
        Map<String, List<Type>> answers = new LinkedHashMap<>();
        collect(response.getItem(), answers);
        return answers;
    }

    private static void collect(List<QuestionnaireResponseItemComponent> items, Map<String, List<Type>> into) {
        for (QuestionnaireResponseItemComponent item : items) {
            for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                if (answer.hasValue()) {
                    into.computeIfAbsent(item.getLinkId(), k -> new ArrayList<>())
                            .add(answer.getValue());
                }
                collect(answer.getItem(), into);
            }
            collect(item.getItem(), into);
        }
    }
}
