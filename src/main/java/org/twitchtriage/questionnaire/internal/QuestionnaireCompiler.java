package org.twitchtriage.questionnaire.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.EnableWhenBehavior;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemOperator;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.questionnaire.ValidationPlan;

/**
 * Turns a Questionnaire into a {@link ValidationPlan}. Anything the plan could not check faithfully
 * (duplicate linkIds, enableWhen on an unknown item, an answer ValueSet that is not published here or
 * uses filters) stops compilation with a message naming the item.
 */
public final class QuestionnaireCompiler {

    private static final Map<QuestionnaireItemType, Set<String>> ANSWER_TYPES = Map.ofEntries(
            Map.entry(QuestionnaireItemType.BOOLEAN, Set.of("boolean")),
            Map.entry(QuestionnaireItemType.DECIMAL, Set.of("decimal")),
            Map.entry(QuestionnaireItemType.INTEGER, Set.of("integer")),
            Map.entry(QuestionnaireItemType.DATE, Set.of("date")),
            Map.entry(QuestionnaireItemType.DATETIME, Set.of("dateTime")),
            Map.entry(QuestionnaireItemType.TIME, Set.of("time")),
            Map.entry(QuestionnaireItemType.STRING, Set.of("string")),
            Map.entry(QuestionnaireItemType.TEXT, Set.of("string")),
            Map.entry(QuestionnaireItemType.URL, Set.of("uri")),
            Map.entry(QuestionnaireItemType.CHOICE, Set.of("Coding")),
            Map.entry(QuestionnaireItemType.OPENCHOICE, Set.of("Coding", "string")),
            Map.entry(QuestionnaireItemType.ATTACHMENT, Set.of("Attachment")),
            Map.entry(QuestionnaireItemType.REFERENCE, Set.of("Reference")),
            Map.entry(QuestionnaireItemType.QUANTITY, Set.of("Quantity")),
            Map.entry(QuestionnaireItemType.GROUP, Set.of()),
            Map.entry(QuestionnaireItemType.DISPLAY, Set.of()));

    private final ConformanceRegistry registry;
    private final Questionnaire questionnaire;
    private final Map<String, QuestionnaireItemComponent> itemsByLinkId = new HashMap<>();

    private QuestionnaireCompiler(ConformanceRegistry registry, Questionnaire questionnaire) {
        this.registry = registry;
        this.questionnaire = questionnaire;
    }

    public static ValidationPlan compile(Questionnaire questionnaire, ConformanceRegistry registry) {
        return new QuestionnaireCompiler(registry, questionnaire).compile();
    }

    private ValidationPlan compile() {
        indexLinkIds(questionnaire.getItem());
        List<ItemPlan> roots = compileItems(questionnaire.getItem(), ValidationPlan.ROOT);
        return new ValidationPlan(questionnaire.getUrl() + "|" + questionnaire.getVersion(), roots);
    }

    private void indexLinkIds(List<QuestionnaireItemComponent> items) {
        for (QuestionnaireItemComponent item : items) {
            if (item.getLinkId() == null || item.getLinkId().isBlank()) {
                throw fail(null, "an item has no linkId");
            }
            if (itemsByLinkId.putIfAbsent(item.getLinkId(), item) != null) {
                throw fail(item.getLinkId(), "the linkId is used twice");
            }
            if (item.getType() == null || item.getType() == QuestionnaireItemType.NULL) {
                throw fail(item.getLinkId(), "the item has no type");
            }
            indexLinkIds(item.getItem());
        }
    }

    private List<ItemPlan> compileItems(List<QuestionnaireItemComponent> items, String parentPath) {
        List<ItemPlan> plans = new ArrayList<>();
        for (QuestionnaireItemComponent item : items) {
            String path = parentPath + ".item.where(linkId=" + ValidationPlan.quote(item.getLinkId()) + ")";
            String childPath = item.getType() == QuestionnaireItemType.GROUP ? path : path + ".answer";
            plans.add(new ItemPlan(
                    item.getLinkId(),
                    path,
                    item.getType(),
                    item.getRequired(),
                    item.getRepeats(),
                    answerTypes(item),
                    allowedValues(item),
                    enableRule(item),
                    compileItems(item.getItem(), childPath)));
        }
        return plans;
    }

    private Set<String> answerTypes(QuestionnaireItemComponent item) {
        if (item.hasAnswerOption() && item.getType() == QuestionnaireItemType.CHOICE) {
            Set<String> types = new LinkedHashSet<>();
            item.getAnswerOption().forEach(option -> types.add(option.getValue().fhirType()));
            return types;
        }
        return ANSWER_TYPES.get(item.getType());
    }

    private Set<String> allowedValues(QuestionnaireItemComponent item) {
        if (item.getType() != QuestionnaireItemType.CHOICE) {
            return null;
        }
        if (item.hasAnswerOption()) {
            Set<String> values = new LinkedHashSet<>();
            for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
                values.add(AnswerValues.key(option.getValue()));
            }
            return Set.copyOf(values);
        }
        if (item.hasAnswerValueSet()) {
            return expand(item);
        }
        throw fail(item.getLinkId(), "a choice item needs answerOption or answerValueSet");
    }

    private Set<String> expand(QuestionnaireItemComponent item) {
        ValueSet valueSet = registry.byCanonical(ValueSet.class, item.getAnswerValueSet())
                .orElseThrow(() -> fail(
                        item.getLinkId(),
                        "answerValueSet " + item.getAnswerValueSet() + " is not published by this module"));
        Set<String> values = new LinkedHashSet<>();
        for (ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasFilter() || include.hasValueSet()) {
                throw fail(item.getLinkId(), "answerValueSet " + valueSet.getUrl() + " uses filters or imports");
            }
            if (include.hasConcept()) {
                include.getConcept()
                        .forEach(c -> values.add(AnswerValues.key(new Coding(include.getSystem(), c.getCode(), null))));
            } else {
                CodeSystem codeSystem = registry.byCanonical(CodeSystem.class, include.getSystem())
                        .orElseThrow(() -> fail(
                                item.getLinkId(),
                                "code system " + include.getSystem() + " is not published by this module"));
                addConcepts(include.getSystem(), codeSystem.getConcept(), values);
            }
        }
        if (valueSet.getCompose().hasExclude()) {
            throw fail(item.getLinkId(), "answerValueSet " + valueSet.getUrl() + " uses excludes");
        }
        return Set.copyOf(values);
    }

    private static void addConcepts(String system, List<ConceptDefinitionComponent> concepts, Set<String> into) {
        for (ConceptDefinitionComponent concept : concepts) {
            into.add(AnswerValues.key(new Coding(system, concept.getCode(), null)));
            addConcepts(system, concept.getConcept(), into);
        }
    }

    private EnableRule enableRule(QuestionnaireItemComponent item) {
        if (!item.hasEnableWhen()) {
            return null;
        }
        List<EnableRule.Condition> conditions = new ArrayList<>();
        for (QuestionnaireItemEnableWhenComponent when : item.getEnableWhen()) {
            QuestionnaireItemComponent question = itemsByLinkId.get(when.getQuestion());
            if (question == null || question.getType() == QuestionnaireItemType.GROUP) {
                throw fail(
                        item.getLinkId(),
                        "enableWhen refers to '" + when.getQuestion()
                                + "', which is not a question of this Questionnaire");
            }
            if (when.getOperator() == null
                    || when.getOperator() == QuestionnaireItemOperator.NULL
                    || !when.hasAnswer()) {
                throw fail(item.getLinkId(), "enableWhen needs an operator and an answer");
            }
            if (when.getOperator() == QuestionnaireItemOperator.EXISTS && !when.hasAnswerBooleanType()) {
                throw fail(item.getLinkId(), "enableWhen 'exists' needs answerBoolean");
            }
            conditions.add(new EnableRule.Condition(when.getQuestion(), when.getOperator(), when.getAnswer()));
        }
        if (conditions.size() > 1 && !item.hasEnableBehavior()) {
            throw fail(item.getLinkId(), "several enableWhen conditions need an enableBehavior");
        }
        return new EnableRule(List.copyOf(conditions), item.getEnableBehavior() != EnableWhenBehavior.ANY);
    }

    private InvalidContentException fail(String linkId, String why) {
        String where = "Questionnaire " + questionnaire.getUrl() + "|" + questionnaire.getVersion()
                + (linkId == null ? "" : ", item '" + linkId + "'");
        return new InvalidContentException(where + ": " + why);
    }
}
