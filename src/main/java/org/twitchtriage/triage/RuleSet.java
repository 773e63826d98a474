package org.twitchtriage.triage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.twitchtriage.triage.internal.RuleSetCompiler;

/**
 * A rules artifact (PlanDefinition) compiled for evaluation: its variables, rules, measures, levels,
 * the orders each carries and the patient guidance. Immutable; built by {@link RuleSetCompiler}.
 *
 * @param canonical the PlanDefinition's {@code url|version}
 * @param questionnaireUrl the Questionnaire whose responses these rules read
 * @param questionnaireVersions the {@code url|version} of each Questionnaire version the rules declare they
 *     apply to, oldest first
 * @param resultCode the code of the Observation that records the result (the PlanDefinition's topic)
 * @param levels by code, each with its rank from the level CodeSystem
 * @param defaultLevel the lowest level, assigned when no rule fires
 * @param findingCodes codes of the Questionnaire items, by linkId, that rules cite as findings
 * @param outputProfiles by resource type, the profiles the written resources claim (the StructureDefinitions
 *     the PlanDefinition lists as depends-on)
 * @param fallbackFinding the Questionnaire's own code, the reason when no finding item was answered yes
 * @param wording the question texts and answer displays of the declared Questionnaire versions, for explanations
 */
public record RuleSet(
        String canonical,
        String questionnaireUrl,
        List<String> questionnaireVersions,
        Coding resultCode,
        List<Variable> variables,
        List<Rule> rules,
        List<Measure> measures,
        Map<String, Level> levels,
        Level defaultLevel,
        List<GuidanceStep> selfCarePlan,
        String selfCareTitle,
        WarningSigns warningSigns,
        Map<String, List<Coding>> findingCodes,
        Map<String, String> outputProfiles,
        Coding fallbackFinding,
        QuestionnaireWording wording) {

    /** A named value computed before the rules and available to them as {@code %name}. */
    public record Variable(String name, String expression, ExpressionNode compiled) {}

    /**
     * One rule: when its condition holds it fires, assigns its level and places its orders.
     *
     * @param findingLinkIds items whose yes-answers are the rule's findings (the orders' reasons)
     * @param reads the linkIds the condition reads, directly or through the variables it uses, in the
     *     order they first appear: the questions whose answers explain why the rule fired
     */
    public record Rule(
            String id,
            Coding code,
            String title,
            Level level,
            String expression,
            ExpressionNode compiled,
            List<String> findingLinkIds,
            List<String> reads,
            List<OrderSpec> orders) {}

    /** A number reported with the result, such as the count of checklist items answered yes. */
    public record Measure(Coding code, String title, String expression, ExpressionNode compiled) {}

    /**
     * A triage level: its rank orders levels; its orders go out whenever it is the result.
     *
     * @param timeFrame when the patient should act, in the patient's words; the one place the level's urgency
     *     is worded (contract section 3), or {@code null} when the rules give none
     */
    public record Level(
            Coding code,
            int rank,
            String title,
            String message,
            String timeFrame,
            List<OrderSpec> orders,
            boolean includesSelfCarePlan) {}

    /**
     * An order a rule or level places.
     *
     * @param requisitionGroup actions grouped under one parent (the blood panel) share a requisition
     * @param occurrenceDays when set, the order is due within this many days of the response's authored time
     */
    public record OrderSpec(
            String actionId,
            Orderable orderable,
            ServiceRequestPriority priority,
            String requisitionGroup,
            Integer occurrenceDays) {}

    /** What an ActivityDefinition says about the ServiceRequest it describes, including the profile it follows. */
    public record Orderable(
            String canonical,
            String profile,
            Coding code,
            CodeableConcept category,
            CodeableConcept performerType,
            String patientInstruction,
            String title) {}

    /**
     * A self-care step and the answer codes (triggers) that put it first.
     *
     * @param condition when present, the step is given only to patients whose answers satisfy it
     */
    public record GuidanceStep(String id, String title, String text, List<Coding> triggers, ExpressionNode condition) {}

    /**
     * The signs that mean seeking care sooner, given with every level.
     *
     * @param title the heading of the list, or {@code null}
     * @param signs one entry per sign
     */
    public record WarningSigns(String title, List<String> signs) {}

    public Optional<Level> level(String code) {
        return Optional.ofNullable(levels.get(code));
    }
}
