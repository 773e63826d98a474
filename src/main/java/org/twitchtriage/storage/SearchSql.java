package org.twitchtriage.storage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One search over a table whose conditions depend on the request, run with {@link NamedParameterJdbcTemplate}.
 *
 * <p>The module has one way of doing each thing with its tables:
 *
 * <ul>
 *   <li>Rows it writes, and reads by key or by a fixed query, go through Spring Data JPA repositories of
 *       entities (a {@link StoredRow} when the module assigns the id), fixed queries declared with
 *       {@code @Query}; rows that belong to one parent (an event's agents, a delivery's EHR ids) are its
 *       element collections.
 *   <li>Searches whose filters come from the request (the FHIR search parameters) are SQL built here from the
 *       columns they constrain, each value bound as a named parameter: no JPA Criteria with attribute names in
 *       strings, and no SQL text made from request values.
 *   <li>The one row that concurrent submissions may race to insert (the shared Device) is inserted by a single
 *       JDBC statement, so that losing the race is not logged as a failed statement.
 * </ul>
 */
public final class SearchSql {

    private final String from;
    private final List<String> conditions = new ArrayList<>();
    private final MapSqlParameterSource parameters = new MapSqlParameterSource();

    private SearchSql(String from) {
        this.from = from;
    }

    /** A search over {@code from}: a table, with an alias when conditions refer to it. */
    public static SearchSql from(String from) {
        return new SearchSql(from);
    }

    /** {@code column = value}; no condition when the value is {@code null}. */
    public SearchSql equal(String column, Object value) {
        return value == null ? this : where(column + " = :" + name(value));
    }

    /** {@code column >= value}; no condition when the value is {@code null}. */
    public SearchSql atLeast(String column, Object value) {
        return value == null ? this : where(column + " >= :" + name(value));
    }

    /** {@code column <= value}; no condition when the value is {@code null}. */
    public SearchSql atMost(String column, Object value) {
        return value == null ? this : where(column + " <= :" + name(value));
    }

    /** A condition of its own (an {@code exists} over a child table, say) naming its parameters as {@code :key}. */
    public SearchSql where(String condition, Map<String, ?> values) {
        String named = condition;
        for (Map.Entry<String, ?> value : values.entrySet()) {
            named = named.replaceAll(
                    Pattern.quote(":" + value.getKey()) + "\\b",
                    Matcher.quoteReplacement(":" + name(value.getValue())));
        }
        return where(named);
    }

    public int count(NamedParameterJdbcTemplate jdbc) {
        Integer count = jdbc.queryForObject("select count(*) from " + from + whereClause(), parameters, Integer.class);
        return count == null ? 0 : count;
    }

    /** One page of a single column, in the given order. */
    public <T> List<T> page(
            NamedParameterJdbcTemplate jdbc, String column, Class<T> type, String orderBy, int offset, int limit) {
        MapSqlParameterSource paged = new MapSqlParameterSource(parameters.getValues())
                .addValue("page_limit", limit)
                .addValue("page_offset", offset);
        return jdbc.queryForList(
                "select " + column + " from " + from + whereClause() + " order by " + orderBy
                        + " limit :page_limit offset :page_offset",
                paged,
                type);
    }

    /** One page of a {@code resource_json} column ({@link StoredJson}), in the given order. */
    public List<String> jsonPage(
            NamedParameterJdbcTemplate jdbc, String column, String orderBy, int offset, int limit) {
        return page(jdbc, column, byte[].class, orderBy, offset, limit).stream()
                .map(StoredJson::text)
                .toList();
    }

    private SearchSql where(String condition) {
        conditions.add(condition);
        return this;
    }

    /** A fresh parameter name for the value; instants are bound as UTC offsets, which every driver takes. */
    private String name(Object value) {
        String name = "p" + parameters.getValues().size();
        parameters.addValue(
                name, value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
        return name;
    }

    private String whereClause() {
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }
}
