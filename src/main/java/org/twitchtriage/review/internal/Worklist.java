package org.twitchtriage.review.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.storage.SqlTimestamps;

/**
 * The worklist query: triage results with their review and delivery state, filtered and ordered in the database
 * (most urgent level first by its CodeSystem rank, then newest), one page at a time. It reads the worklist's own
 * table, which {@link WorklistProjection} keeps.
 */
@Component
public class Worklist {

    /**
     * One entry of a page: which submission, and what the database knows of it.
     *
     * @param revision the version of the response the result follows from
     * @param previousLevelSystem with {@code previousLevelCode}, the level before the latest correction; null
     *     before any
     * @param attention why a clinician must look again (the EHR kept something as it had it); null when nothing
     */
    record Entry(
            String submissionId,
            Instant authored,
            boolean reviewed,
            String triageDelivery,
            String approvalDelivery,
            String delivery,
            int revision,
            String previousLevelSystem,
            String previousLevelCode,
            boolean retracted,
            String attention) {}

    record Page(List<Entry> entries, long total) {}

    private static final String FAILED = "'" + DeliveryStatus.FAILED.code() + "'";
    private static final String PENDING = "'" + DeliveryStatus.PENDING.code() + "'";
    private static final String DELIVERED = "'" + DeliveryStatus.DELIVERED.code() + "'";
    // The least advanced of a result's deliveries: failed, then pending, then delivered.
    private static final String DELIVERY = "case when w.triage_delivery = " + FAILED
            + " or w.approval_delivery = " + FAILED + " then " + FAILED
            + " when w.triage_delivery = " + PENDING + " or w.approval_delivery = " + PENDING + " then " + PENDING
            + " when w.triage_delivery = " + DELIVERED + " then " + DELIVERED + " end";
    private static final String FROM = " from worklist_entry w";

    private final NamedParameterJdbcTemplate jdbc;
    private final Levels levels;

    Worklist(NamedParameterJdbcTemplate jdbc, Levels levels) {
        this.jdbc = jdbc;
        this.levels = levels;
    }

    @Transactional(readOnly = true)
    Page find(WorklistFilter filter) {
        MapSqlParameterSource parameters = new MapSqlParameterSource();
        String where = where(filter, parameters);
        Long total = jdbc.queryForObject("select count(*)" + FROM + where, parameters, Long.class);
        parameters.addValue("limit", filter.size()).addValue("offset", (long) filter.page() * filter.size());
        String select = select(where) + " order by " + rank(parameters) + " desc, w.authored desc, w.submission_id"
                + " limit :limit offset :offset";
        List<Entry> entries = jdbc.query(select, parameters, Worklist::entry);
        return new Page(entries, total == null ? 0 : total);
    }

    /** The entry of one submission, if it has a triage result. */
    @Transactional(readOnly = true)
    Optional<Entry> entry(String submissionId) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("id", submissionId);
        return jdbc.query(select(" where w.submission_id = :id"), parameters, Worklist::entry).stream()
                .findFirst();
    }

    private static String select(String where) {
        return "select w.submission_id, w.authored, w.reviewed, w.triage_delivery, w.approval_delivery, w.revision,"
                + " w.previous_level_system, w.previous_level_code, w.retracted, w.attention, " + DELIVERY
                + " as delivery" + FROM + where;
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        OffsetDateTime authored = rs.getObject("authored", OffsetDateTime.class);
        return new Entry(
                rs.getString("submission_id"),
                authored == null ? null : authored.toInstant(),
                rs.getBoolean("reviewed"),
                rs.getString("triage_delivery"),
                rs.getString("approval_delivery"),
                rs.getString("delivery"),
                rs.getInt("revision"),
                rs.getString("previous_level_system"),
                rs.getString("previous_level_code"),
                rs.getBoolean("retracted"),
                rs.getString("attention"));
    }

    private static String where(WorklistFilter filter, MapSqlParameterSource parameters) {
        List<String> conditions = new ArrayList<>();
        if (!filter.levels().isEmpty()) {
            conditions.add("w.level_code in (:levels)");
            parameters.addValue("levels", filter.levels());
        }
        if (filter.from() != null) {
            conditions.add("w.authored >= :from");
            parameters.addValue("from", SqlTimestamps.utc(filter.fromInstant()));
        }
        if (filter.to() != null) {
            conditions.add("w.authored < :to");
            parameters.addValue("to", SqlTimestamps.utc(filter.toInstantExclusive()));
        }
        if (filter.reviewed() != null) {
            conditions.add("w.reviewed = :reviewed");
            parameters.addValue("reviewed", filter.reviewed());
        }
        if (filter.patient() != null) {
            conditions.add("w.patient_id = :patient");
            parameters.addValue("patient", filter.patient());
        }
        if (filter.delivery() != null) {
            conditions.add("(" + DELIVERY + ") = :delivery");
            parameters.addValue("delivery", filter.delivery());
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** The level's rank, from the published levels (bound as parameters, never spliced into the SQL). */
    private String rank(MapSqlParameterSource parameters) {
        StringBuilder rank = new StringBuilder("case");
        List<Levels.Level> all = levels.all();
        for (int i = 0; i < all.size(); i++) {
            Levels.Level level = all.get(i);
            rank.append(" when w.level_system = :rs")
                    .append(i)
                    .append(" and w.level_code = :rc")
                    .append(i)
                    .append(" then ")
                    .append(level.rank());
            parameters.addValue("rs" + i, level.system()).addValue("rc" + i, level.code());
        }
        return rank.append(" else 0 end").toString();
    }
}
