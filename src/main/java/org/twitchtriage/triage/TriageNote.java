package org.twitchtriage.triage;

import java.util.List;
import java.util.stream.Collectors;
import org.twitchtriage.triage.RuleSet.Rule;
import org.twitchtriage.triage.TriageOutcome.FiredRule;

/** The clinician-readable note on the Observation: which answers fired which rules, and what could not be evaluated. */
final class TriageNote {

    private TriageNote() {
    }

    static String explain(TriageOutcome outcome) {
        StringBuilder note = new StringBuilder("Level '").append(outcome.level().code().getCode())
                .append("' from rules ").append(outcome.ruleSet().canonical()).append(".");
        if (outcome.fired().isEmpty()) {
            note.append(" No rule fired.");
        }
        for (FiredRule fired : outcome.fired()) {
            Rule rule = fired.rule();
            note.append(" Rule '").append(rule.id()).append("' (").append(rule.title()).append(", level ")
                    .append(rule.level().code().getCode()).append(") fired");
            if (!fired.findingLinkIds().isEmpty()) {
                note.append(" on answers of yes to ").append(quoted(fired.findingLinkIds()));
            }
            note.append(": ").append(rule.expression()).append(".");
        }
        if (!outcome.unevaluable().isEmpty()) {
            note.append(" NEEDS REVIEW: rules ")
                    .append(quoted(outcome.unevaluable().stream().map(Rule::id).toList()))
                    .append(" could not be evaluated; their levels were counted as if they had fired, their orders"
                            + " were not placed.");
        }
        return note.toString();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }
}
