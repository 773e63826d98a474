package org.twitchtriage.review.internal;

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

    @Modifying
    @Query("update WorklistEntry e set e.reviewed = true where e.submissionId = :id")
    int reviewed(@Param("id") String submissionId);
}
