package org.twitchtriage.review.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The worklist query: triage Observations with their review and delivery state, filtered and ordered in
 * the database (most urgent level first by its CodeSystem rank, then newest), one page at a time. A read
 * model over the results and delivery tables.
 */
@Component
public class Worklist {

    /** One entry of a page: which submission, and what the database knows of it. */
    record Entry(
            String submissionId,
            Instant authored,
            boolean reviewed,
            String triageDelivery,
            String approvalDelivery,
            String delivery) {}

    record Page(List<Entry> entries, long total) {}

    // The least advanced of a submission's deliveries: failed, then pending, then delivered.
    private static final String DELIVERY = "case when d.status = 'FAILED' or a.status = 'FAILED' then 'FAILED'"
            + " when d.status = 'PENDING' or a.status = 'PENDING' then 'PENDING'"
            + " when d.status = 'DELIVERED' then 'DELIVERED' end";
    private static final String REVIEWED = "exists (select 1 from triage_resource t where t.submission_id ="
            + " o.submission_id and t.origin = 'review' and t.resource_type = 'Task')";
    private static final String FROM = " from triage_resource o"
            + " left join delivery d on d.submission_id = o.submission_id and d.batch = 'triage'"
            + " left join delivery a on a.submission_id = o.submission_id and a.batch = 'approval'"
            + " where o.resource_type = 'Observation' and o.origin = 'triage'";

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
        String select = select(where) + " order by " + rank(parameters) + " desc, o.recorded desc, o.submission_id"
                + " limit :limit offset :offset";
        List<Entry> entries =
                jdbc.query(select, parameters, (org.springframework.jdbc.core.RowMapper<Entry>) this::entry);
        return new Page(entries, total == null ? 0 : total);
    }

    /** The entry of one submission, if it has a triage result. */
    @Transactional(readOnly = true)
    java.util.Optional<Entry> entry(String submissionId) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("id", submissionId);
        return jdbc
                .query(select(" and o.submission_id = :id"), parameters, (org.springframework.jdbc.core.RowMapper<
                                Entry>)
                        this::entry)
                .stream()
                .findFirst();
    }

    private static String select(String where) {
        return "select o.submission_id, o.recorded, " + REVIEWED + " as reviewed, d.status as triage_status,"
                + " a.status as approval_status, " + DELIVERY + " as delivery" + FROM + where;
    }

    private Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Entry(
                rs.getString("submission_id"),
                instant(rs.getObject("recorded", OffsetDateTime.class)),
                rs.getBoolean("reviewed"),
                lower(rs.getString("triage_status")),
                lower(rs.getString("approval_status")),
                lower(rs.getString("delivery")));
    }

    private static String where(WorklistFilter filter, MapSqlParameterSource parameters) {
        StringBuilder where = new StringBuilder();
        if (!filter.levels().isEmpty()) {
            where.append(" and o.value_code in (:levels)");
            parameters.addValue("levels", filter.levels());
        }
        if (filter.from() != null) {
            where.append(" and o.recorded >= :from");
            parameters.addValue("from", filter.fromInstant().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where.append(" and o.recorded < :to");
            parameters.addValue("to", filter.toInstantExclusive().atOffset(ZoneOffset.UTC));
        }
        if (filter.reviewed() != null) {
            where.append(filter.reviewed() ? " and " : " and not ").append(REVIEWED);
        }
        if (filter.delivery() != null) {
            where.append(" and (").append(DELIVERY).append(") = :delivery");
            parameters.addValue("delivery", filter.delivery().toUpperCase(Locale.ROOT));
        }
        return where.toString();
    }

    /** The level's rank, from the published levels (bound as parameters, never spliced into the SQL). */
    private String rank(MapSqlParameterSource parameters) {
        StringBuilder rank = new StringBuilder("case");
        List<Levels.Level> all = new ArrayList<>(levels.all());
        for (int i = 0; i < all.size(); i++) {
            Levels.Level level = all.get(i);
            rank.append(" when o.value_system = :rs")
                    .append(i)
                    .append(" and o.value_code = :rc")
                    .append(i)
                    .append(" then ")
                    .append(level.rank());
            parameters.addValue("rs" + i, level.system()).addValue("rc" + i, level.code());
        }
        return rank.append(" else 0 end").toString();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static String lower(String status) {
        return status == null ? null : status.toLowerCase(Locale.ROOT);
    }
}
