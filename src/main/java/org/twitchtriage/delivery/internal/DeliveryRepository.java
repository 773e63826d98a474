package org.twitchtriage.delivery.internal;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.twitchtriage.delivery.DeliveryStatus;

public interface DeliveryRepository extends JpaRepository<Delivery, String> {

    @Query("select d.key from Delivery d where d.status = org.twitchtriage.delivery.DeliveryStatus.PENDING"
            + " and d.nextAttemptAt <= :now and (d.leaseUntil is null or d.leaseUntil < :now)"
            + " and not exists (select e.key from Delivery e where e.submissionId = d.submissionId"
            + " and e.sequenceNumber < d.sequenceNumber"
            + " and e.status <> org.twitchtriage.delivery.DeliveryStatus.DELIVERED)"
            + " order by d.nextAttemptAt")
    List<String> findDue(@Param("now") Instant now, Pageable page);

    /**
     * Compare-and-set claim: succeeds (1) only for the instance that finds the row still unleased, and only while
     * every delivery of its submission with a lower sequence is delivered (a delivered one never goes back), so no
     * instance can send a revision before the deliveries it follows, whatever it read when it polled.
     */
    @Modifying
    @Query("update Delivery d set d.leaseOwner = :owner, d.leaseUntil = :until where d.key = :id"
            + " and d.status = org.twitchtriage.delivery.DeliveryStatus.PENDING"
            + " and (d.leaseUntil is null or d.leaseUntil < :now)"
            + " and not exists (select e.key from Delivery e where e.submissionId = d.submissionId"
            + " and e.sequenceNumber < d.sequenceNumber"
            + " and e.status <> org.twitchtriage.delivery.DeliveryStatus.DELIVERED)")
    int claim(
            @Param("id") String id,
            @Param("owner") String owner,
            @Param("until") Instant until,
            @Param("now") Instant now);

    @Query("select d from Delivery d where d.status = :status order by d.updatedAt desc")
    List<Delivery> findByStatus(@Param("status") DeliveryStatus status, Pageable page);

    @Query("select d from Delivery d where d.submissionId = :submission order by d.createdAt, d.key")
    List<Delivery> findBySubmission(@Param("submission") String submissionId);

    /** The submission's deliveries the EHR has taken, in the order they went out. */
    @Query("select d from Delivery d where d.submissionId = :submission"
            + " and d.status = org.twitchtriage.delivery.DeliveryStatus.DELIVERED order by d.sequenceNumber")
    List<Delivery> findDelivered(@Param("submission") String submissionId);

    @Query("select count(d) from Delivery d where d.status = :status")
    long countByStatus(@Param("status") DeliveryStatus status);

    /** When the oldest pending delivery was accepted; null when none is pending. */
    @Query("select min(d.createdAt) from Delivery d where d.status = org.twitchtriage.delivery.DeliveryStatus.PENDING")
    Instant oldestPending();
}
