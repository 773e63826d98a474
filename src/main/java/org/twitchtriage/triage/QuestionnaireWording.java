package org.twitchtriage.triage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;

/**
 * The words of each Questionnaire version a rule set reads: question texts and answer displays by linkId,
 * so that triage can say in words which answers made a rule fire. Immutable.
 */
public final class QuestionnaireWording {

    /** A question as its Questionnaire words it, and the display of each answer option by code. */
    public record Question(String linkId, String text, boolean yesNo, Map<String, String> optionDisplays) {

        /** The option's display, else the answer's own display, else its code. */
        public String display(Coding answer) {
            String display = optionDisplays.get(key(answer.getSystem(), answer.getCode()));
            if (display == null) {
                display = optionDisplays.get(key(null, answer.getCode()));
            }
            if (display != null) {
                return display;
            }
            return answer.hasDisplay() ? answer.getDisplay() : answer.getCode();
        }
    }

    private final Map<String, Map<String, Question>> byCanonical;
    private final List<String> newestFirst;

    private QuestionnaireWording(Map<String, Map<String, Question>> byCanonical, List<String> newestFirst) {
        this.byCanonical = byCanonical;
        this.newestFirst = newestFirst;
    }

    /** @param questionnaires the versions the rules declare, oldest first */
    public static QuestionnaireWording of(List<Questionnaire> questionnaires) {
        Map<String, Map<String, Question>> byCanonical = new LinkedHashMap<>();
        List<String> newestFirst = new ArrayList<>();
        for (Questionnaire questionnaire : questionnaires) {
            String canonical = questionnaire.getUrl() + "|" + questionnaire.getVersion();
            Map<String, Question> questions = new HashMap<>();
            index(questionnaire.getItem(), questions);
            byCanonical.put(canonical, Map.copyOf(questions));
            newestFirst.add(0, canonical);
        }
        return new QuestionnaireWording(Map.copyOf(byCanonical), List.copyOf(newestFirst));
    }

    /**
     * The question as the version a response cites words it. A response that cites a bare url, or a version
     * these rules do not declare, gets the newest declared version that has the item.
     */
    public Optional<Question> question(String citedCanonical, String linkId) {
        Map<String, Question> cited = citedCanonical == null ? null : byCanonical.get(citedCanonical);
        if (cited != null && cited.containsKey(linkId)) {
            return Optional.of(cited.get(linkId));
        }
        return newestFirst.stream()
                .map(byCanonical::get)
                .filter(questions -> questions.containsKey(linkId))
                .map(questions -> questions.get(linkId))
                .findFirst();
    }

    private static void index(List<QuestionnaireItemComponent> items, Map<String, Question> into) {
        for (QuestionnaireItemComponent item : items) {
            if (item.getType() != QuestionnaireItemType.GROUP && item.getType() != QuestionnaireItemType.DISPLAY) {
                into.put(
                        item.getLinkId(),
                        new Question(
                                item.getLinkId(),
                                item.hasText() ? item.getText() : item.getLinkId(),
                                item.getType() == QuestionnaireItemType.BOOLEAN,
                                displays(item)));
            }
            index(item.getItem(), into);
        }
    }

    private static Map<String, String> displays(QuestionnaireItemComponent item) {
        Map<String, String> displays = new HashMap<>();
        for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
            if (option.hasValueCoding()
                    && option.getValueCoding().hasCode()
                    && option.getValueCoding().hasDisplay()) {
                Coding coding = option.getValueCoding();
                displays.put(key(coding.getSystem(), coding.getCode()), coding.getDisplay());
                displays.putIfAbsent(key(null, coding.getCode()), coding.getDisplay());
            }
        }
        return Map.copyOf(displays);
    }

    private static String key(String system, String code) {
        return (system == null ? "" : system) + "|" + code;
    }
}
