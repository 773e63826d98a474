package org.twitchtriage.review.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.review.ResultFeedback;
import org.twitchtriage.triage.TriageDocuments;

/** Stores verdicts on triage results with what the result judged recorded, and counts them for governance. */
@Component
public class FeedbackStore implements ResultFeedback {

    private final FeedbackRows rows;
    private final ConformanceRegistry registry;
    private final Levels levels;
    private final Clock clock;

    FeedbackStore(FeedbackRows rows, ConformanceRegistry registry, Levels levels, Clock clock) {
        this.rows = rows;
        this.registry = registry;
        this.levels = levels;
        this.clock = clock;
    }

    @Override
    @Transactional
    public Given record(String submissionId, Observation judged, Verdict verdict) {
        // As the database keeps it, so that a repeat compares equal.
        Instant at = verdict.at().truncatedTo(ChronoUnit.MICROS);
        if (verdict.card() != null) {
            // The EHR may send a feedback again when it got no answer: the same card, outcome and time is one verdict.
            List<FeedbackRow> same =
                    rows.findSameOnCard(verdict.card(), verdict.outcome().code(), at);
            if (!same.isEmpty()) {
                return given(same.get(0));
            }
        }
        Coding level = judged.hasValueCodeableConcept()
                ? judged.getValueCodeableConcept().getCodingFirstRep()
                : new Coding();
        Reason reason = verdict.reason();
        String comment = verdict.comment() == null || verdict.comment().isBlank()
                ? null
                : verdict.comment().strip();
        if (comment != null && comment.length() > FeedbackRow.COMMENT_LENGTH) {
            comment = comment.substring(0, FeedbackRow.COMMENT_LENGTH - 1) + "…";
        }
        FeedbackRow row = new FeedbackRow(
                UUID.randomUUID().toString(),
                submissionId,
                version(judged),
                judged.getMethod().getText(),
                level.getSystem(),
                level.getCode(),
                verdict.outcome().code(),
                reason == null ? null : reason.system(),
                reason == null ? null : reason.code(),
                reason == null ? null : reason.display(),
                comment,
                verdict.channel().code(),
                verdict.card(),
                verdict.by(),
                at,
                clock.instant(),
                firedRules(judged));
        return given(rows.save(row));
    }

    @Override
    @Transactional(readOnly = true)
    public List<Given> of(String submissionId) {
        return rows.findBySubmission(submissionId).stream()
                .map(FeedbackStore::given)
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Figures figures(Instant since, String rulesVersion) {
        Instant from = since == null ? FeedbackRows.ALWAYS : since;
        String of = rulesVersion == null ? "" : rulesVersion;
        Map<String, TallyBuilder> rules = new LinkedHashMap<>();
        for (Object[] count : rows.perRule(from, of)) {
            String system = (String) count[0];
            String code = (String) count[1];
            rules.computeIfAbsent(system + "|" + code, k -> new TallyBuilder(system, code, (String) count[2]))
                    .add((String) count[3], (String) count[4], (String) count[5], ((Number) count[6]).longValue());
        }
        Map<String, TallyBuilder> byLevel = new LinkedHashMap<>();
        for (Object[] count : rows.perLevel(from, of)) {
            String system = (String) count[0];
            String code = (String) count[1];
            String display = levels.of(system, code).map(Levels.Level::display).orElse(code);
            byLevel.computeIfAbsent(system + "|" + code, k -> new TallyBuilder(system, code, display))
                    .add((String) count[2], (String) count[3], (String) count[4], ((Number) count[5]).longValue());
        }
        List<Tally> levelTallies = new ArrayList<>(
                byLevel.values().stream().map(TallyBuilder::build).toList());
        // Most urgent first, as the worklist orders them.
        levelTallies.sort((a, b) -> Integer.compare(rank(b), rank(a)));
        return new Figures(rules.values().stream().map(TallyBuilder::build).toList(), levelTallies);
    }

    @Override
    public List<Reason> reasons() {
        return registry.byCanonical(CodeSystem.class, REASONS)
                .map(system -> system.getConcept().stream()
                        .map(concept -> new Reason(REASONS, concept.getCode(), concept.getDisplay()))
                        .toList())
                .orElse(List.of());
    }

    @Override
    public Optional<Reason> reason(String system, String code) {
        return reasons().stream()
                .filter(reason ->
                        reason.system().equals(system) && reason.code().equals(code))
                .findFirst();
    }

    private int rank(Tally tally) {
        return levels.of(tally.system(), tally.code()).map(Levels.Level::rank).orElse(0);
    }

    /** The rules that fired as the Observation records them: true components other than the review marker. */
    static List<FeedbackRow.FiredRule> firedRules(Observation observation) {
        List<FeedbackRow.FiredRule> fired = new ArrayList<>();
        for (Observation.ObservationComponentComponent component : TriageDocuments.firedRules(observation)) {
            CodeableConcept code = component.getCode();
            Coding coding = code.getCodingFirstRep();
            boolean seen = fired.stream()
                    .anyMatch(rule -> rule.system().equals(coding.getSystem())
                            && rule.code().equals(coding.getCode()));
            if (!seen && coding.hasCode()) {
                fired.add(new FeedbackRow.FiredRule(
                        coding.getSystem(), coding.getCode(), code.hasText() ? code.getText() : coding.getDisplay()));
            }
        }
        return fired;
    }

    private static int version(Observation observation) {
        String version = observation.getMeta().hasVersionId()
                ? observation.getMeta().getVersionId()
                : observation.getIdElement().getVersionIdPart();
        return version == null ? 1 : Integer.parseInt(version);
    }

    private static Given given(FeedbackRow row) {
        Reason reason =
                row.reasonCode() == null ? null : new Reason(row.reasonSystem(), row.reasonCode(), row.reasonDisplay());
        Verdict verdict = new Verdict(
                Outcome.of(row.outcome()).orElseThrow(),
                reason,
                row.comment(),
                row.outcomeAt(),
                row.givenBy(),
                Channel.of(row.channel()),
                row.card());
        return new Given(row.getId(), row.submissionId(), row.observationVersion(), row.levelCode(), verdict);
    }

    /** Adds up the counts of one rule or level. */
    private static final class TallyBuilder {

        private final String system;
        private final String code;
        private final String display;
        private long accepted;
        private long overridden;
        private final List<ReasonCount> reasons = new ArrayList<>();

        TallyBuilder(String system, String code, String display) {
            this.system = system;
            this.code = code;
            this.display = display;
        }

        void add(String outcome, String reasonCode, String reasonDisplay, long count) {
            if (Outcome.ACCEPTED.code().equals(outcome)) {
                accepted += count;
                return;
            }
            overridden += count;
            reasons.add(new ReasonCount(reasonCode, reasonCode == null ? "No reason given" : reasonDisplay, count));
        }

        Tally build() {
            return new Tally(system, code, display, accepted, overridden, List.copyOf(reasons));
        }
    }
}
