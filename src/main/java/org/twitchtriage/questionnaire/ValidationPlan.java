package org.twitchtriage.questionnaire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Type;
import org.twitchtriage.questionnaire.internal.AnswerValues;
import org.twitchtriage.questionnaire.internal.ItemPlan;

/**
 * A Questionnaire compiled into the checks its responses must pass: known linkIds in Questionnaire
 * order, answer types and codes, required items, repeats and enableWhen. Immutable and thread-safe;
 * {@link #check} reports every problem it finds, each naming its linkId.
 */
public final class ValidationPlan {

    public static final String ROOT = "QuestionnaireResponse";

    private final String canonical;
    private final List<ItemPlan> roots;

    public ValidationPlan(String canonical, List<ItemPlan> roots) {
        this.canonical = canonical;
        this.roots = List.copyOf(roots);
    }

    /** The {@code url|version} of the Questionnaire this plan was compiled from. */
    public String canonical() {
        return canonical;
    }

    public List<AnswerProblem> check(QuestionnaireResponse response) {
        Map<String, List<Type>> answers = new HashMap<>();
        collectAnswers(response.getItem(), answers);
        List<AnswerProblem> problems = new ArrayList<>();
        checkLevel(roots, response.getItem(), ROOT, answers, problems);
        return problems;
    }

    private static void collectAnswers(List<QuestionnaireResponseItemComponent> items, Map<String, List<Type>> into) {
        for (QuestionnaireResponseItemComponent item : items) {
            for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                if (answer.hasValue() && item.getLinkId() != null) {
                    into.computeIfAbsent(item.getLinkId(), k -> new ArrayList<>())
                            .add(answer.getValue());
                }
                collectAnswers(answer.getItem(), into);
            }
            collectAnswers(item.getItem(), into);
        }
    }

    private void checkLevel(
            List<ItemPlan> plans,
            List<QuestionnaireResponseItemComponent> items,
            String parentPath,
            Map<String, List<Type>> answers,
            List<AnswerProblem> problems) {
        checkStructure(plans, items, parentPath, problems);
        for (ItemPlan plan : plans) {
            List<QuestionnaireResponseItemComponent> mine = items.stream()
                    .filter(item -> plan.linkId().equals(item.getLinkId()))
                    .toList();
            boolean answered = mine.stream().anyMatch(ValidationPlan::hasAnyAnswer);
            if (!plan.enabledBy(answers)) {
                if (answered) {
                    problems.add(new AnswerProblem(
                            ProblemCode.DISABLED_ANSWERED,
                            plan.linkId(),
                            plan.path(),
                            "Item '" + plan.linkId() + "' is answered, but its enableWhen conditions are not met,"
                                    + " so it must be left out"));
                }
                continue;
            }
            if (!answered) {
                if (plan.required()) {
                    problems.add(new AnswerProblem(
                            ProblemCode.REQUIRED,
                            plan.linkId(),
                            plan.path(),
                            "Item '" + plan.linkId() + "' is required but has no answer"));
                }
                continue;
            }
            mine.forEach(item -> checkItem(plan, item, answers, problems));
        }
    }

    /** Unknown linkIds, items out of Questionnaire order, and repeated non-repeating items. */
    private static void checkStructure(
            List<ItemPlan> plans,
            List<QuestionnaireResponseItemComponent> items,
            String parentPath,
            List<AnswerProblem> problems) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            positions.put(plans.get(i).linkId(), i);
        }
        int last = -1;
        for (QuestionnaireResponseItemComponent item : items) {
            Integer position = positions.get(item.getLinkId());
            if (position == null) {
                problems.add(unknown(item.getLinkId(), parentPath));
                continue;
            }
            ItemPlan plan = plans.get(position);
            if (position < last) {
                problems.add(new AnswerProblem(
                        ProblemCode.ITEM_ORDER,
                        plan.linkId(),
                        plan.path(),
                        "Item '" + plan.linkId() + "' is out of order: items must follow the Questionnaire's order"));
            } else if (position == last && !plan.repeats()) {
                problems.add(new AnswerProblem(
                        ProblemCode.DUPLICATE_ITEM,
                        plan.linkId(),
                        plan.path(),
                        "Item '" + plan.linkId() + "' appears more than once but does not repeat"));
            }
            last = Math.max(last, position);
        }
    }

    private void checkItem(
            ItemPlan plan,
            QuestionnaireResponseItemComponent item,
            Map<String, List<Type>> answers,
            List<AnswerProblem> problems) {
        if (!plan.takesAnswers()) {
            if (!item.getAnswer().isEmpty()) {
                problems.add(new AnswerProblem(
                        ProblemCode.WRONG_TYPE,
                        plan.linkId(),
                        plan.path() + ".answer",
                        "Item '" + plan.linkId() + "' is a " + plan.type().toCode() + " and takes no answer"));
            }
            checkLevel(plan.children(), item.getItem(), plan.path(), answers, problems);
            return;
        }
        item.getItem().forEach(child -> problems.add(unknown(child.getLinkId(), plan.path())));
        if (item.getAnswer().size() > 1 && !plan.repeats()) {
            problems.add(new AnswerProblem(
                    ProblemCode.TOO_MANY_ANSWERS,
                    plan.linkId(),
                    plan.path() + ".answer",
                    "Item '" + plan.linkId() + "' takes one answer but has "
                            + item.getAnswer().size()));
        }
        for (int i = 0; i < item.getAnswer().size(); i++) {
            QuestionnaireResponseItemAnswerComponent answer = item.getAnswer().get(i);
            String path = plan.path() + ".answer[" + i + "]";
            checkValue(plan, answer.getValue(), path, problems);
            if (plan.children().isEmpty()) {
                answer.getItem().forEach(child -> problems.add(unknown(child.getLinkId(), path)));
            } else {
                checkLevel(plan.children(), answer.getItem(), path, answers, problems);
            }
        }
    }

    private static void checkValue(ItemPlan plan, Type value, String path, List<AnswerProblem> problems) {
        if (value == null || value.isEmpty()) {
            problems.add(new AnswerProblem(
                    ProblemCode.EMPTY_ANSWER,
                    plan.linkId(),
                    path,
                    "An answer to item '" + plan.linkId() + "' has no value"));
        } else if (!plan.answerTypes().contains(value.fhirType())) {
            problems.add(new AnswerProblem(
                    ProblemCode.WRONG_TYPE,
                    plan.linkId(),
                    path + ".value",
                    "Item '" + plan.linkId() + "' is of type " + plan.type().toCode() + " and takes "
                            + describe(plan.answerTypes()) + ", not " + value.fhirType()));
        } else if (plan.allowedValues() != null && !plan.allowedValues().contains(AnswerValues.key(value))) {
            problems.add(new AnswerProblem(
                    ProblemCode.INVALID_CODE,
                    plan.linkId(),
                    path + ".value",
                    "The answer to item '" + plan.linkId() + "' is not one of its permitted answers"));
        }
    }

    private static boolean hasAnyAnswer(QuestionnaireResponseItemComponent item) {
        // An answer without a value still counts here, so that it is reported as empty rather than missing.
        return !item.getAnswer().isEmpty() || item.getItem().stream().anyMatch(ValidationPlan::hasAnyAnswer);
    }

    private static AnswerProblem unknown(String linkId, String parentPath) {
        String shown = linkId == null ? "(no linkId)" : linkId;
        return new AnswerProblem(
                ProblemCode.UNKNOWN_ITEM,
                linkId,
                parentPath + ".item.where(linkId=" + quote(shown) + ")",
                "Item '" + shown + "' is not an item of the Questionnaire at this position");
    }

    private static String describe(Set<String> types) {
        return String.join(
                " or ",
                types.stream()
                        .sorted()
                        .map(t -> "value" + Character.toUpperCase(t.charAt(0)) + t.substring(1))
                        .toList());
    }

    public static String quote(String linkId) {
        return "'" + linkId.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
