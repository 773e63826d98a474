package org.twitchtriage.questionnaire.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.Type;

/**
 * The compiled checks for one Questionnaire item.
 *
 * @param allowedValues value keys (see {@link AnswerValues#key}) an answer must be one of; {@code null}
 *     when any value of an allowed type is accepted
 * @param enableRule {@code null} when the item is always enabled
 */
public record ItemPlan(
        String linkId,
        String path,
        QuestionnaireItemType type,
        boolean required,
        boolean repeats,
        Set<String> answerTypes,
        Set<String> allowedValues,
        EnableRule enableRule,
        List<ItemPlan> children) {

    public boolean takesAnswers() {
        return type != QuestionnaireItemType.GROUP && type != QuestionnaireItemType.DISPLAY;
    }

    public boolean enabledBy(Map<String, List<Type>> answersByLinkId) {
        return enableRule == null || enableRule.holds(answersByLinkId);
    }
}
