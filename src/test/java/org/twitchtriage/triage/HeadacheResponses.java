package org.twitchtriage.triage;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.twitchtriage.questionnaire.ConformanceContentLoader;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.testing.Content;

/**
 * Responses to the second, example checklist in {@code src/test/resources/second-checklist/} (headache),
 * and registries that publish it next to the published content. {@link #none()} starts from a valid
 * response with no warning sign and occasional headaches. Subjects are synthetic ids.
 */
public final class HeadacheResponses {

    public static final String BASE = "http://example.org/fhir";
    public static final String QUESTIONNAIRE = BASE + "/Questionnaire/headache-check";
    public static final String CANONICAL = QUESTIONNAIRE + "|1.0.0";
    public static final String RULES = BASE + "/PlanDefinition/headache-triage|1.0.0";
    public static final String FREQUENCY = BASE + "/CodeSystem/headache-frequency";

    /** The second checklist without its rules. */
    public static final String[] SECOND_CHECKLIST_WITHOUT_RULES = {
        "classpath*:second-checklist/Questionnaire-*.json",
        "classpath*:second-checklist/CodeSystem-*.json",
        "classpath*:second-checklist/ValueSet-*.json",
        "classpath*:second-checklist/ActivityDefinition-*.json"
    };

    public static final String SECOND_CHECKLIST = "classpath*:second-checklist/*.json";
    public static final List<String> PUBLISHED =
            List.of("classpath*:fhir/questionnaires/*.json", "classpath*:fhir/profiles/*.json");

    private Boolean suddenSevere = false;
    private Boolean feverStiffNeck = false;
    private String frequency = "occasional";
    private String frequencySystem = FREQUENCY;
    private String questionnaire = CANONICAL;

    private HeadacheResponses() {}

    public static HeadacheResponses none() {
        return new HeadacheResponses();
    }

    /**
     * The published content plus the files at {@code patterns}: the second checklist's files are only
     * ever added this way, never listed in code.
     */
    public static ConformanceRegistry registry(String... patterns) {
        List<String> locations = new ArrayList<>(List.of(patterns));
        locations.addAll(PUBLISHED);
        return new ConformanceRegistry(new ConformanceContentLoader(Content.FHIR).load(locations));
    }

    /**
     * The published content and the second checklist with a copy of its rules in place of its own: the copy
     * has the id and canonical url {@code headache-triage-{name}} and the condition given on its meningism
     * rule (level emergency), the one thing broken in it.
     */
    public static ConformanceRegistry registryWithMeningism(String name, String condition) {
        ConformanceContentLoader loader = new ConformanceContentLoader(Content.FHIR);
        List<MetadataResource> resources = new ArrayList<>(loader.load(List.of(SECOND_CHECKLIST_WITHOUT_RULES)));
        resources.add(rulesWithMeningism(name, condition));
        resources.addAll(loader.load(PUBLISHED));
        return new ConformanceRegistry(resources);
    }

    /** A copy of the second checklist's rules as {@link #registryWithMeningism} describes it. */
    public static PlanDefinition rulesWithMeningism(String name, String condition) {
        PlanDefinition rules = new ConformanceContentLoader(Content.FHIR)
                .load(List.of("classpath*:second-checklist/PlanDefinition-headache-triage.json")).stream()
                        .map(PlanDefinition.class::cast)
                        .findFirst()
                        .orElseThrow();
        String id = "headache-triage-" + name;
        rules.setId(id);
        rules.setUrl(BASE + "/PlanDefinition/" + id);
        rules.getAction().stream()
                .filter(action -> "meningism".equals(action.getId()))
                .findFirst()
                .orElseThrow()
                .getConditionFirstRep()
                .getExpression()
                .setExpression(condition);
        return rules;
    }

    HeadacheResponses suddenSevere(Boolean value) {
        this.suddenSevere = value;
        return this;
    }

    HeadacheResponses feverStiffNeck(Boolean value) {
        this.feverStiffNeck = value;
        return this;
    }

    HeadacheResponses frequency(String code) {
        this.frequency = code;
        return this;
    }

    HeadacheResponses frequency(String system, String code) {
        this.frequencySystem = system;
        this.frequency = code;
        return this;
    }

    HeadacheResponses questionnaire(String canonical) {
        this.questionnaire = canonical;
        return this;
    }

    QuestionnaireResponse build() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(questionnaire);
        response.setStatus(QuestionnaireResponseStatus.COMPLETED);
        response.setSubject(new Reference("Patient/synthetic-1"));
        response.setAuthoredElement(new DateTimeType("2026-11-20T09:30:00Z"));
        QuestionnaireResponseItemComponent signs = new QuestionnaireResponseItemComponent().setLinkId("signs");
        if (suddenSevere != null) {
            signs.addItem().setLinkId("sudden-severe").addAnswer().setValue(new BooleanType(suddenSevere));
        }
        if (feverStiffNeck != null) {
            signs.addItem().setLinkId("fever-stiff-neck").addAnswer().setValue(new BooleanType(feverStiffNeck));
        }
        if (signs.hasItem()) {
            response.addItem(signs);
        }
        if (frequency != null) {
            response.addItem()
                    .setLinkId("frequency")
                    .addAnswer()
                    .setValue(new Coding(frequencySystem, frequency, null));
        }
        return response;
    }
}
