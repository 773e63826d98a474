package org.twitchtriage.review.internal;

import java.time.Instant;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The worklist's rows, written as the events come; the worklist page reads them through {@link Worklist}. */
interface WorklistEntries extends JpaRepository<WorklistEntry, String> {

    @Modifying
    @Query("update WorklistEntry e set e.triageDelivery = :status where e.submissionId = :id")
    int triageDelivery(@Param("id") String submissionId, @Param("status") String status);

    @Modifying
    @Query("update WorklistEntry e set e.approvalDelivery = :status where e.submissionId = :id")
    int approvalDelivery(@Param("id") String submissionId, @Param("status") String status);

    /**
     * Reviewed, and what needed attention seen to; only while the revision reviewed is still the current one, so
     * a review of an earlier version that commits after a correction leaves the corrected result unreviewed.
     */
    @Modifying
    @Query("update WorklistEntry e set e.reviewed = true, e.attention = null"
            + " where e.submissionId = :id and e.revision = :revision")
    int reviewed(@Param("id") String submissionId, @Param("revision") int revision);

    /** A correction or a retraction: the level now and before it, and back to not reviewed. */
    @Modifying
    @Query("update WorklistEntry e set e.revision = :revision, e.authored = coalesce(:effective, e.authored),"
            + " e.levelSystem = :system, e.levelCode = :code,"
            + " e.previousLevelSystem = :previousSystem, e.previousLevelCode = :previousCode,"
            + " e.retracted = :retracted, e.reviewed = false"
            + " where e.submissionId = :id and e.revision < :revision")
    int revised(
            @Param("id") String submissionId,
            @Param("revision") int revision,
            @Param("effective") Instant effective,
            @Param("system") String levelSystem,
            @Param("code") String levelCode,
            @Param("previousSystem") String previousLevelSystem,
            @Param("previousCode") String previousLevelCode,
            @Param("retracted") boolean retracted);

    /**
     * The EHR kept part of the result as it had it: a clinician must look at it again. A reason given while an
     * earlier one is still unseen is added to it (within the column's length).
     */
    @Modifying
    @Query("update WorklistEntry e set e.reviewed = false, e.attention = case when e.attention is null then :reason"
            + " when e.attention = :reason then e.attention"
            + " else substring(concat(e.attention, ' ', :reason), 1, " + WorklistEntry.ATTENTION_LENGTH + ") end"
            + " where e.submissionId = :id")
    int attention(@Param("id") String submissionId, @Param("reason") String reason);
}
