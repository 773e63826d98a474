package org.twitchtriage.review;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;

/**
 * Clinicians' verdicts on triage results: accepted, or overridden with a reason. They come from the CDS Hooks
 * cards' feedback and from the clinician result page, and are counted per rule and per level for clinical
 * governance: an override counts against every rule that fired for the result judged.
 */
public interface ResultFeedback {

    /** The CodeSystem of the reasons an override may give. */
    String REASONS = "http://twitchtriage.org/fhir/CodeSystem/triage-feedback-reason";

    enum Outcome {
        ACCEPTED("accepted"),
        OVERRIDDEN("overridden");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Outcome> of(String code) {
            for (Outcome outcome : values()) {
                if (outcome.code.equals(code)) {
                    return Optional.of(outcome);
                }
            }
            return Optional.empty();
        }
    }

    /** Where the verdict was given. */
    enum Channel {
        CDS_CARD("cds-card"),
        RESULT_PAGE("result-page");

        private final String code;

        Channel(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Channel of(String code) {
            return code.equals(CDS_CARD.code) ? CDS_CARD : RESULT_PAGE;
        }
    }

    /** A coded reason for an override, as its CodeSystem names it. */
    record Reason(String system, String code, String display) {}

    /**
     * One verdict.
     *
     * @param reason null for an acceptance, and for an override that gives none
     * @param comment the clinician's words; null when none
     * @param at when the clinician gave it
     * @param by who gave it, as the EHR or the sign-in names them; null when unknown
     * @param card the CDS card's uuid; null for the result page
     */
    record Verdict(
            Outcome outcome, Reason reason, String comment, Instant at, String by, Channel channel, String card) {}

    /** A stored verdict, with the version of the triage Observation it judged. */
    record Given(String id, String submissionId, int observationVersion, String levelCode, Verdict verdict) {}

    /** How often results were accepted and overridden, with the reasons given for the overrides. */
    record Tally(
            String system, String code, String display, long accepted, long overridden, List<ReasonCount> reasons) {}

    record ReasonCount(String code, String display, long count) {}

    /** Per rule (each rule that fired for the results judged) and per level. */
    record Figures(List<Tally> rules, List<Tally> levels) {}

    /**
     * Stores a verdict on the result as {@code judged} (a version of the submission's triage Observation) records
     * it: its level and the rules that fired. A verdict on a card that repeats a stored one (same card, outcome and
     * time) is not stored again; the stored one is returned.
     */
    Given record(String submissionId, Observation judged, Verdict verdict);

    /** Every verdict on a submission's result, the first first. */
    List<Given> of(String submissionId);

    /** The governance figures over every verdict stored. */
    default Figures figures() {
        return figures(null, null);
    }

    /**
     * The governance figures over the verdicts given at or after {@code since} on results worked out by the rules
     * {@code rules} (the canonical, with its version, as the triage Observation's method records it).
     *
     * @param since null for every verdict
     * @param rules null for results of any rules
     */
    Figures figures(Instant since, String rules);

    /** The reasons an override may give, in their CodeSystem's order. */
    List<Reason> reasons();

    /** The reason of that system and code, if the CodeSystem has it. */
    Optional<Reason> reason(String system, String code);
}
