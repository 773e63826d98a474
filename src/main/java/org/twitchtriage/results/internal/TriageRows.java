package org.twitchtriage.results.internal;

import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Inserts a submission's triage resources, rows written once, as one JDBC batch in the caller's transaction:
 * none of the persistence context's work for entities it would never change (persisting, validating, checking
 * them for changes at the commit). Rows a revision changes are read and written as {@link StoredResource}.
 */
@Component
public class TriageRows {

    private static final String INSERT = "insert into triage_resource (resource_key, resource_type, resource_id,"
            + " submission_id, subject_id, code_system, code_value, value_system, value_code, priority, status,"
            + " requisition, recorded, last_updated, resource_json, origin) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int[] TYPES = {
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.VARCHAR,
        Types.VARCHAR
    };

    private final JdbcTemplate jdbc;

    TriageRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param rows resource_key, resource_type, resource_id, submission_id, subject_id, code_system, code_value,
     *     value_system, value_code, priority, status, requisition, recorded, last_updated (OffsetDateTime),
     *     resource_json, origin
     */
    public void insert(List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(INSERT, rows, TYPES);
        }
    }
}
