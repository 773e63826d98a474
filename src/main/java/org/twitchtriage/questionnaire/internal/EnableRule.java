package org.twitchtriage.questionnaire.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemOperator;
import org.hl7.fhir.r4.model.Type;

/** An item's compiled enableWhen conditions with their enableBehavior. */
public record EnableRule(List<Condition> conditions, boolean all) {

    boolean holds(Map<String, List<Type>> answersByLinkId) {
        return all
                ? conditions.stream().allMatch(c -> c.holds(answersByLinkId))
                : conditions.stream().anyMatch(c -> c.holds(answersByLinkId));
    }

    /** One enableWhen: true when any answer to {@code question} meets it. */
    record Condition(String question, QuestionnaireItemOperator operator, Type expected) {

        boolean holds(Map<String, List<Type>> answersByLinkId) {
            List<Type> answers = answersByLinkId.getOrDefault(question, List.of());
            if (operator == QuestionnaireItemOperator.EXISTS) {
                boolean wanted =
                        ((PrimitiveType<?>) expected).getValueAsString().equals("true");
                return wanted != answers.isEmpty();
            }
            return answers.stream().anyMatch(this::matches);
        }

        private boolean matches(Type answer) {
            String answerKey = AnswerValues.key(answer);
            String expectedKey = AnswerValues.key(expected);
            if (operator == QuestionnaireItemOperator.EQUAL || operator == QuestionnaireItemOperator.NOT_EQUAL) {
                return expectedKey.equals(answerKey) == (operator == QuestionnaireItemOperator.EQUAL);
            }
            if (!answer.fhirType().equals(expected.fhirType()) || !(answer instanceof PrimitiveType<?>)) {
                return false;
            }
            return switch (operator) {
                case GREATER_THAN -> compare(answer) > 0;
                case LESS_THAN -> compare(answer) < 0;
                case GREATER_OR_EQUAL -> compare(answer) >= 0;
                case LESS_OR_EQUAL -> compare(answer) <= 0;
                default -> false;
            };
        }

        private int compare(Type answer) {
            if (answer instanceof DecimalType || answer instanceof IntegerType) {
                return new BigDecimal(((PrimitiveType<?>) answer).getValueAsString())
                        .compareTo(new BigDecimal(((PrimitiveType<?>) expected).getValueAsString()));
            }
            return ((PrimitiveType<?>) answer)
                    .getValueAsString()
                    .compareTo(((PrimitiveType<?>) expected).getValueAsString());
        }
    }
}
