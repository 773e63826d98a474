package org.twitchtriage.triage;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.twitchtriage.triage.RuleSet.GuidanceStep;
import org.twitchtriage.triage.RuleSet.Level;
import org.twitchtriage.triage.RuleSet.Measure;
import org.twitchtriage.triage.RuleSet.Orderable;
import org.twitchtriage.triage.RuleSet.Rule;

/**
 * What the rules concluded for one response.
 *
 * @param unevaluable rules whose condition could not be evaluated; their levels count towards the result
 *     (nothing is triaged lower because a rule failed), and the result needs a clinician's review
 * @param steps the self-care plan for the level, steps matching the patient's answers first; empty when
 *     the level does not include it
 */
public record TriageOutcome(
        RuleSet ruleSet,
        Level level,
        List<FiredRule> fired,
        List<Rule> unevaluable,
        List<MeasureValue> measures,
        List<PlacedOrder> orders,
        List<GuidanceStep> steps) {

    public boolean needsReview() {
        return !unevaluable.isEmpty() || measures.stream().anyMatch(m -> m.value() == null);
    }

    /** A rule that held, with the findings (item codes of the answers) that made it hold. */
    public record FiredRule(Rule rule, List<Coding> findings, List<String> findingLinkIds) {}

    /** A measure's value; {@code null} when it could not be evaluated. */
    public record MeasureValue(Measure measure, Integer value) {}

    /**
     * One ServiceRequest to place: one per code, at the highest priority any fired rule or the level asked for.
     *
     * @param ruleIds the rules (and the level's code) that asked for it
     */
    public record PlacedOrder(
            Orderable orderable,
            ServiceRequestPriority priority,
            String requisitionGroup,
            Integer occurrenceDays,
            List<Coding> reasons,
            List<String> ruleIds) {}
}
