package org.twitchtriage.review.internal;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The verdicts stored, and the governance figures counted over them in the database. */
interface FeedbackRows extends JpaRepository<FeedbackRow, String> {

    /**
     * The verdicts counted: given at or after {@code since}, on results of the rules {@code rules} ('' for any).
     * Both are always bound, never null, as PostgreSQL cannot type a null parameter in a native query.
     */
    String WHERE = " where f.outcome_at >= :since and (:rules = '' or f.rules_version = :rules)";

    /** The {@code since} that counts every verdict. */
    Instant ALWAYS = Instant.parse("0001-01-01T00:00:00Z");

    @Query("select f from FeedbackRow f where f.submissionId = :id order by f.recordedAt, f.id")
    List<FeedbackRow> findBySubmission(@Param("id") String submissionId);

    /** The same verdict on a card sent again (an EHR retrying), to store it once. */
    @Query("select f from FeedbackRow f where f.card = :card and f.outcome = :outcome and f.outcomeAt = :at")
    List<FeedbackRow> findSameOnCard(
            @Param("card") String card, @Param("outcome") String outcome, @Param("at") Instant at);

    /** Per rule, outcome and reason (null for acceptances and overrides without one): how many verdicts. */
    @Query(
            nativeQuery = true,
            value = "select r.rule_system, r.rule_code, max(r.rule_title), f.outcome, f.reason_code,"
                    + " max(f.reason_display), count(*) from result_feedback f"
                    + " join result_feedback_rule r on r.feedback_id = f.feedback_id"
                    + WHERE
                    + " group by r.rule_system, r.rule_code, f.outcome, f.reason_code"
                    + " order by r.rule_system, r.rule_code")
    List<Object[]> perRule(@Param("since") Instant since, @Param("rules") String rules);

    /** Per level, outcome and reason: how many verdicts. */
    @Query(
            nativeQuery = true,
            value = "select f.level_system, f.level_code, f.outcome, f.reason_code, max(f.reason_display), count(*)"
                    + " from result_feedback f"
                    + WHERE
                    + " group by f.level_system, f.level_code, f.outcome, f.reason_code"
                    + " order by f.level_system, f.level_code")
    List<Object[]> perLevel(@Param("since") Instant since, @Param("rules") String rules);
}
