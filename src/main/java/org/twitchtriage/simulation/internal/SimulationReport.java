package org.twitchtriage.simulation.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a simulation.
 *
 * @param currentRules canonical url|version of the active rules now, one per Questionnaire with rules
 * @param candidateRules the same with the candidate content laid over
 * @param responses how many responses were triaged both ways (the invalid ones are not counted)
 * @param changed the responses whose level or orders differ, in input order
 * @param transitions how many responses went from one level to another ({@code "soon->urgent"}), when the level changed
 * @param orderNames a readable name for each order code in the changes
 * @param retracted how many stored responses were left out because they were retracted
 */
public record SimulationReport(
        List<String> currentRules,
        List<String> candidateRules,
        int responses,
        List<Change> changed,
        Map<String, Integer> transitions,
        List<InvalidResponse> invalid,
        Map<String, String> orderNames,
        int retracted) {

    /** One response triaged differently. */
    record Change(String response, TriageSummary before, TriageSummary after) {

        boolean levelChanged() {
            return !Objects.equals(before.level(), after.level());
        }
    }
}
