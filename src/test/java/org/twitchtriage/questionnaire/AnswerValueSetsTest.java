package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.Content;

/**
 * The answer ValueSets published beside the Questionnaires and the answer options of every published
 * Questionnaire version say the same: a choice item's options are exactly the codes of the ValueSet that
 * their CodeSystem names as its {@code valueSet} (the link the files make), and every such ValueSet is
 * some item's answer list.
 */
class AnswerValueSetsTest {

    @Test
    void everyChoiceItemOffersExactlyTheCodesOfItsCodeSystemsValueSet() {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Questionnaire questionnaire : Content.registry().all(Questionnaire.class)) {
            for (Map.Entry<String, Map<String, Set<String>>> item :
                    optionsBySystem(questionnaire).entrySet()) {
                for (Map.Entry<String, Set<String>> options : item.getValue().entrySet()) {
                    checked++;
                    String where =
                            questionnaire.getUrl() + "|" + questionnaire.getVersion() + " item '" + item.getKey() + "'";
                    Optional<Set<String>> valueSet = valueSetCodes(options.getKey());
                    if (valueSet.isEmpty()) {
                        mismatches.add(where + ": no published ValueSet for " + options.getKey());
                    } else if (!valueSet.get().equals(options.getValue())) {
                        mismatches.add(
                                where + ": options " + options.getValue() + " but the ValueSet has " + valueSet.get());
                    }
                }
            }
        }

        assertThat(checked).isGreaterThanOrEqualTo(4);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyAnswerValueSetIsTheAnswerListOfSomeItem() {
        Set<String> answered = new LinkedHashSet<>();
        for (Questionnaire questionnaire : Content.registry().all(Questionnaire.class)) {
            optionsBySystem(questionnaire)
                    .values()
                    .forEach(bySystem -> bySystem.keySet()
                            .forEach(system -> Content.registry()
                                    .byCanonical(CodeSystem.class, system)
                                    .map(CodeSystem::getValueSet)
                                    .ifPresent(answered::add)));
        }
        List<String> answerValueSets = Content.registry().all(CodeSystem.class).stream()
                .filter(cs -> cs.hasValueSet() && isQuestionnaireAnswerSystem(cs))
                .map(CodeSystem::getValueSet)
                .toList();

        assertThat(answerValueSets).isNotEmpty();
        assertThat(answered).containsAll(answerValueSets);
    }

    /** Code systems whose codes some published Questionnaire offers as answers. */
    private static boolean isQuestionnaireAnswerSystem(CodeSystem codeSystem) {
        return Content.registry().all(Questionnaire.class).stream()
                .anyMatch(q -> optionsBySystem(q).values().stream().anyMatch(m -> m.containsKey(codeSystem.getUrl())));
    }

    /** Per choice item (by linkId), its answer option codes grouped by code system. */
    private static Map<String, Map<String, Set<String>>> optionsBySystem(Questionnaire questionnaire) {
        Map<String, Map<String, Set<String>>> options = new LinkedHashMap<>();
        for (QuestionnaireItemComponent item : flatten(questionnaire.getItem())) {
            for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
                if (option.hasValueCoding()) {
                    Coding coding = option.getValueCoding();
                    options.computeIfAbsent(item.getLinkId(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(coding.getSystem(), k -> new LinkedHashSet<>())
                            .add(coding.getCode());
                }
            }
        }
        return options;
    }

    /** The codes of the ValueSet the code system names, as its compose includes them from that system. */
    private static Optional<Set<String>> valueSetCodes(String system) {
        return Content.registry()
                .byCanonical(CodeSystem.class, system)
                .filter(CodeSystem::hasValueSet)
                .flatMap(cs -> Content.registry()
                        .byCanonical(ValueSet.class, cs.getValueSet())
                        .map(vs -> included(vs, cs)));
    }

    private static Set<String> included(ValueSet valueSet, CodeSystem codeSystem) {
        Set<String> codes = new LinkedHashSet<>();
        for (ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (!codeSystem.getUrl().equals(include.getSystem())) {
                continue;
            }
            if (include.hasConcept()) {
                include.getConcept().forEach(concept -> codes.add(concept.getCode()));
            } else if (!include.hasFilter()) {
                allCodes(codeSystem.getConcept(), codes);
            } else {
                throw new AssertionError(valueSet.getUrl() + " filters its codes; this check reads only whole code"
                        + " systems and listed concepts");
            }
        }
        for (ConceptSetComponent exclude : valueSet.getCompose().getExclude()) {
            if (codeSystem.getUrl().equals(exclude.getSystem())) {
                exclude.getConcept().forEach(concept -> codes.remove(concept.getCode()));
            }
        }
        return codes;
    }

    private static void allCodes(List<ConceptDefinitionComponent> concepts, Set<String> codes) {
        for (ConceptDefinitionComponent concept : concepts) {
            codes.add(concept.getCode());
            allCodes(concept.getConcept(), codes);
        }
    }

    private static List<QuestionnaireItemComponent> flatten(List<QuestionnaireItemComponent> items) {
        List<QuestionnaireItemComponent> all = new ArrayList<>();
        for (QuestionnaireItemComponent item : items) {
            all.add(item);
            all.addAll(flatten(item.getItem()));
        }
        return all;
    }
}
