package org.twitchtriage.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/**
 * Builds responses to the published muscle-twitch checklist. {@link #benign()} starts from a valid
 * response to version 1.0.0 with no warning signs, as portals built against 1.0.0 send it;
 * {@link #current()} moves it to version 1.1.0 (with its {@code one-side} answer). Each setter changes
 * one answer. Subjects are synthetic ids.
 */
public final class ChecklistResponses {

    public static final String BASE = "http://twitchtriage.org/fhir";
    public static final String QUESTIONNAIRE = BASE + "/Questionnaire/muscle-twitch-checklist";
    public static final String CANONICAL = QUESTIONNAIRE + "|1.0.0";
    public static final String CANONICAL_1_1 = QUESTIONNAIRE + "|1.1.0";

    private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("about", List.of("locations", "duration", "course", "one-side", "triggers"));
        GROUPS.put(
                "checklist",
                List.of(
                        "persistent",
                        "muscle-loss",
                        "weakness",
                        "weakness-progressive",
                        "spreading",
                        "speech-swallowing-coordination",
                        "family-history"));
        GROUPS.put("other-symptoms", List.of("numbness-tingling"));
    }

    private static final Map<String, String> CODE_SYSTEMS = Map.of(
            "locations", BASE + "/CodeSystem/twitch-location",
            "duration", BASE + "/CodeSystem/twitch-duration",
            "course", BASE + "/CodeSystem/twitch-course",
            "triggers", BASE + "/CodeSystem/twitch-trigger");

    private final Map<String, List<Type>> answers = new LinkedHashMap<>();
    private String questionnaire = CANONICAL;
    private String subject = "Patient/synthetic-1";
    private String authored = "2026-11-20T09:30:00Z";
    private QuestionnaireResponseStatus status = QuestionnaireResponseStatus.COMPLETED;
    private Identifier identifier;

    private ChecklistResponses() {}

    /** Calf twitching for 1-2 weeks, unchanged, after caffeine; every checklist answer false. */
    public static ChecklistResponses benign() {
        ChecklistResponses builder = new ChecklistResponses();
        builder.codes("locations", "calf-foot")
                .codes("duration", "1-2w")
                .codes("course", "unchanged")
                .codes("triggers", "caffeine");
        for (String linkId : List.of(
                "persistent",
                "muscle-loss",
                "weakness",
                "spreading",
                "speech-swallowing-coordination",
                "family-history",
                "numbness-tingling")) {
            builder.answer(linkId, false);
        }
        return builder;
    }

    /** The same answers as a response to version 1.1.0: twitching not mostly on one side, unless set otherwise. */
    public ChecklistResponses current() {
        questionnaire = CANONICAL_1_1;
        answers.putIfAbsent("one-side", new ArrayList<>(List.of(new BooleanType(false))));
        return this;
    }

    public ChecklistResponses answer(String linkId, boolean value) {
        answers.put(linkId, new ArrayList<>(List.of(new BooleanType(value))));
        return this;
    }

    /** Answers a choice item with codes of its CodeSystem; no codes removes the answer. */
    public ChecklistResponses codes(String linkId, String... codes) {
        List<Type> values = new ArrayList<>();
        for (String code : codes) {
            values.add(new Coding(CODE_SYSTEMS.get(linkId), code, null));
        }
        answers.put(linkId, values);
        return this;
    }

    public ChecklistResponses without(String linkId) {
        answers.remove(linkId);
        return this;
    }

    public ChecklistResponses questionnaire(String canonical) {
        this.questionnaire = canonical;
        return this;
    }

    public ChecklistResponses subject(String reference) {
        this.subject = reference;
        return this;
    }

    public ChecklistResponses authored(String dateTime) {
        this.authored = dateTime;
        return this;
    }

    public ChecklistResponses status(QuestionnaireResponseStatus value) {
        this.status = value;
        return this;
    }

    public ChecklistResponses identifier(String system, String value) {
        this.identifier = new Identifier().setSystem(system).setValue(value);
        return this;
    }

    public QuestionnaireResponse build() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(questionnaire);
        response.setStatus(status);
        if (subject != null) {
            response.setSubject(new Reference(subject));
        }
        if (authored != null) {
            response.setAuthoredElement(new DateTimeType(authored));
        }
        if (identifier != null) {
            response.setIdentifier(identifier.copy());
        }
        GROUPS.forEach((group, linkIds) -> {
            QuestionnaireResponseItemComponent groupItem = new QuestionnaireResponseItemComponent().setLinkId(group);
            for (String linkId : linkIds) {
                List<Type> values = answers.get(linkId);
                if (values != null && !values.isEmpty()) {
                    QuestionnaireResponseItemComponent item =
                            groupItem.addItem().setLinkId(linkId);
                    values.forEach(v -> item.addAnswer().setValue(v.copy()));
                }
            }
            if (groupItem.hasItem()) {
                response.addItem(groupItem);
            }
        });
        return response;
    }

    /** The item with this linkId, wherever it sits. */
    public static QuestionnaireResponseItemComponent item(QuestionnaireResponse response, String linkId) {
        return find(response.getItem(), linkId);
    }

    private static QuestionnaireResponseItemComponent find(
            List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponseItemComponent item : items) {
            if (linkId.equals(item.getLinkId())) {
                return item;
            }
            QuestionnaireResponseItemComponent nested = find(item.getItem(), linkId);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }
}
