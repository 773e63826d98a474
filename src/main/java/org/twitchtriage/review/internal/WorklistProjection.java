package org.twitchtriage.review.internal;

import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatusChanged;
import org.twitchtriage.results.TriageRecorded;
import org.twitchtriage.review.ResultReviewed;

/**
 * Keeps the worklist's own table, {@code worklist_entry}: one row per triage result with what the worklist
 * filters and orders on. Each change is written in the transaction of the change it mirrors (the listeners
 * run inside the publisher's transaction and refuse to run outside one), so the worklist never disagrees with
 * what is stored. The triage result comes first: it is stored before its delivery is recorded.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
public class WorklistProjection {

    /** The column of each batch's delivery status; the least advanced of them is the result's. */
    private static final Map<DeliveryBatch, String> DELIVERY_COLUMNS = Map.of(
            DeliveryBatch.TRIAGE, "triage_delivery",
            DeliveryBatch.APPROVED_ORDERS, "approval_delivery");

    private final NamedParameterJdbcTemplate jdbc;

    WorklistProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    public void on(TriageRecorded recorded) {
        jdbc.update(
                "insert into worklist_entry (submission_id, authored, level_system, level_code, reviewed)"
                        + " values (:id, :authored, :system, :code, false)",
                new MapSqlParameterSource("id", recorded.submissionId())
                        .addValue("authored", Worklist.timestamp(recorded.effective()))
                        .addValue("system", recorded.levelSystem())
                        .addValue("code", recorded.levelCode()));
    }

    /** A submission without a triage result has no entry, and its deliveries change nothing here. */
    @EventListener
    public void on(DeliveryStatusChanged changed) {
        jdbc.update(
                "update worklist_entry set " + DELIVERY_COLUMNS.get(changed.batch())
                        + " = :status where submission_id = :id",
                new MapSqlParameterSource("id", changed.submissionId())
                        .addValue("status", changed.status().code()));
    }

    @EventListener
    public void on(ResultReviewed reviewed) {
        jdbc.update(
                "update worklist_entry set reviewed = true where submission_id = :id",
                new MapSqlParameterSource("id", reviewed.submissionId()));
    }
}
