package org.twitchtriage.intake.internal;

import java.sql.Types;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.storage.SqlTimestamps;
import org.twitchtriage.storage.StoredJson;

/**
 * Inserts an accepted response at version 1 with one plain JDBC statement in the caller's transaction: the row
 * is written once, and only a correction changes it ({@link SubmittedResponseRepository#replace}), so the
 * persistence context would persist, flush and check it for changes for nothing. A response whose identifier
 * was accepted before fails at once with the unique constraint's {@code DuplicateKeyException}, before anything
 * else of the submission is written.
 */
@Component
public class ResponseRows {

    private static final String INSERT = "insert into questionnaire_response (id, identifier_system,"
            + " identifier_value, questionnaire_url, questionnaire_version, subject_id, status, authored_low,"
            + " authored_high, last_updated, resource_json, version_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
    private static final int[] TYPES = {
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.VARBINARY
    };

    private final JdbcTemplate jdbc;

    ResponseRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String id, SearchKeys keys, Instant lastUpdated, String json) {
        jdbc.update(
                INSERT,
                new Object[] {
                    id,
                    keys.identifierSystem(),
                    keys.identifierValue(),
                    keys.questionnaireUrl(),
                    keys.questionnaireVersion(),
                    keys.subjectId(),
                    keys.status(),
                    SqlTimestamps.utc(keys.authoredLow()),
                    SqlTimestamps.utc(keys.authoredHigh()),
                    SqlTimestamps.utc(lastUpdated),
                    StoredJson.bytes(json)
                },
                TYPES);
    }
}
