package org.twitchtriage.results.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.results.Origin;
import org.twitchtriage.storage.SqlTimestamps;
import org.twitchtriage.storage.StoredJson;

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
        Types.VARBINARY,
        Types.VARCHAR
    };

    private final JdbcTemplate jdbc;

    TriageRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A resource to insert at version 1: its searched columns and its JSON. */
    public record Row(ResourceColumns columns, String json) {}

    public void insert(String submissionId, Origin origin, Instant lastUpdated, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        OffsetDateTime updated = SqlTimestamps.utc(lastUpdated);
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ResourceColumns c = row.columns();
            values.add(new Object[] {
                FhirIds.reference(c.resourceType(), c.resourceId()),
                c.resourceType(),
                c.resourceId(),
                submissionId,
                c.subjectId(),
                c.codeSystem(),
                c.codeValue(),
                c.valueSystem(),
                c.valueCode(),
                c.priority(),
                c.status(),
                c.requisition(),
                SqlTimestamps.utc(c.recorded()),
                updated,
                StoredJson.bytes(row.json()),
                origin.code()
            });
        }
        jdbc.batchUpdate(INSERT, values, TYPES);
    }
}
