package org.twitchtriage.review.internal;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.twitchtriage.storage.StoredRow;

/** One clinician's verdict on a triage result, with the level and the rules that fired for the version judged. */
@Entity
@Table(name = "result_feedback")
public class FeedbackRow extends StoredRow {

    static final int COMMENT_LENGTH = 1000;

    /** A rule that fired for the result judged. */
    @Embeddable
    public record FiredRule(
            @Column(name = "rule_system", length = 255) String system,
            @Column(name = "rule_code", length = 64) String code,
            @Column(name = "rule_title", length = 255) String title) {}

    @Id
    @Column(name = "feedback_id", length = 36)
    private String id;

    @Column(name = "submission_id", length = 64)
    private String submissionId;

    @Column(name = "observation_version")
    private int observationVersion;

    @Column(name = "rules_version", length = 255)
    private String rulesVersion;

    @Column(name = "level_system", length = 255)
    private String levelSystem;

    @Column(name = "level_code", length = 64)
    private String levelCode;

    @Column(name = "outcome", length = 16)
    private String outcome;

    @Column(name = "reason_system", length = 255)
    private String reasonSystem;

    @Column(name = "reason_code", length = 64)
    private String reasonCode;

    @Column(name = "reason_display", length = 255)
    private String reasonDisplay;

    @Column(name = "user_comment", length = COMMENT_LENGTH)
    private String comment;

    @Column(name = "channel", length = 16)
    private String channel;

    @Column(name = "card_uuid", length = 36)
    private String card;

    @Column(name = "given_by", length = 255)
    private String givenBy;

    @Column(name = "outcome_at")
    private Instant outcomeAt;

    @Column(name = "recorded_at")
    private Instant recordedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "result_feedback_rule", joinColumns = @JoinColumn(name = "feedback_id"))
    private List<FiredRule> firedRules = new ArrayList<>();

    protected FeedbackRow() {}

    FeedbackRow(
            String id,
            String submissionId,
            int observationVersion,
            String rulesVersion,
            String levelSystem,
            String levelCode,
            String outcome,
            String reasonSystem,
            String reasonCode,
            String reasonDisplay,
            String comment,
            String channel,
            String card,
            String givenBy,
            Instant outcomeAt,
            Instant recordedAt,
            List<FiredRule> firedRules) {
        this.id = id;
        this.submissionId = submissionId;
        this.observationVersion = observationVersion;
        this.rulesVersion = rulesVersion;
        this.levelSystem = levelSystem;
        this.levelCode = levelCode;
        this.outcome = outcome;
        this.reasonSystem = reasonSystem;
        this.reasonCode = reasonCode;
        this.reasonDisplay = reasonDisplay;
        this.comment = comment;
        this.channel = channel;
        this.card = card;
        this.givenBy = givenBy;
        this.outcomeAt = outcomeAt;
        this.recordedAt = recordedAt;
        this.firedRules = new ArrayList<>(firedRules);
    }

    @Override
    public String getId() {
        return id;
    }

    String submissionId() {
        return submissionId;
    }

    int observationVersion() {
        return observationVersion;
    }

    String levelCode() {
        return levelCode;
    }

    String outcome() {
        return outcome;
    }

    String reasonSystem() {
        return reasonSystem;
    }

    String reasonCode() {
        return reasonCode;
    }

    String reasonDisplay() {
        return reasonDisplay;
    }

    String comment() {
        return comment;
    }

    String channel() {
        return channel;
    }

    String card() {
        return card;
    }

    String givenBy() {
        return givenBy;
    }

    Instant outcomeAt() {
        return outcomeAt;
    }
}
