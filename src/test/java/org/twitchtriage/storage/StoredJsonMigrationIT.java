package org.twitchtriage.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.TestDatabase;

/**
 * Rows stored as text before V13 keep their JSON, as UTF-8 bytes, on either database: characters beyond ASCII,
 * a backslash and a quote (which PostgreSQL's text form of {@code bytea} would read as escapes) come out as the
 * text's own bytes, and the columns still refuse a row without JSON.
 */
class StoredJsonMigrationIT {

    /** Free text as a portal may send it: accents, a dash, a symbol outside the basic plane, JSON escapes. */
    private static final String TEXT = "Pr\u00e9vu \u2013 na\u00efve \\u00e9 \\\\x41 \\\" \uD83D\uDE42 \u00bd";

    @Test
    void everyStoredJsonBecomesItsUtf8Bytes() throws Exception {
        TestDatabase.Migrations database = TestDatabase.migrations("stored_json_migration");
        database.migrate("12");
        Map<String, String> select = new LinkedHashMap<>();
        try (Connection connection = database.connect()) {
            update(
                    connection,
                    "insert into questionnaire_response (id, questionnaire_url, questionnaire_version, subject_id,"
                            + " status, authored_low, authored_high, last_updated, resource_json) values"
                            + " ('r1', 'http://example.org/q', '1', 'example-3', 'amended', current_timestamp,"
                            + " current_timestamp, current_timestamp, ?)",
                    json("QuestionnaireResponse"));
            select.put("QuestionnaireResponse", "select resource_json from questionnaire_response where id = 'r1'");
            update(
                    connection,
                    "insert into questionnaire_response_version (id, version_id, last_updated, resource_json)"
                            + " values ('r1', 1, current_timestamp, ?)",
                    json("QuestionnaireResponse/1"));
            select.put(
                    "QuestionnaireResponse/1",
                    "select resource_json from questionnaire_response_version where id = 'r1' and version_id = 1");
            update(
                    connection,
                    "insert into triage_resource (resource_key, resource_type, resource_id, submission_id,"
                            + " last_updated, resource_json) values ('Observation/o1', 'Observation', 'o1', 'r1',"
                            + " current_timestamp, ?)",
                    json("Observation"));
            select.put(
                    "Observation", "select resource_json from triage_resource where resource_key = 'Observation/o1'");
            update(
                    connection,
                    "insert into triage_resource_version (resource_key, version_id, revision, last_updated,"
                            + " resource_json) values ('Observation/o1', 1, 1, current_timestamp, ?)",
                    json("Observation/1"));
            select.put(
                    "Observation/1",
                    "select resource_json from triage_resource_version where resource_key = 'Observation/o1'");
            update(
                    connection,
                    "insert into audit_event (id, recorded, action, outcome, subtype, resource_json) values"
                            + " ('a1', current_timestamp, 'C', '0', 'create', ?)",
                    json("AuditEvent"));
            select.put("AuditEvent", "select resource_json from audit_event where id = 'a1'");
        }

        database.migrate("latest");

        try (Connection connection = database.connect()) {
            for (Map.Entry<String, String> query : select.entrySet()) {
                try (PreparedStatement statement = connection.prepareStatement(query.getValue());
                        ResultSet row = statement.executeQuery()) {
                    assertThat(row.next()).as(query.getKey()).isTrue();
                    assertThat(row.getMetaData().getColumnType(1))
                            .as(query.getKey())
                            .isIn(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY);
                    assertThat(row.getBytes(1))
                            .as(query.getKey())
                            .isEqualTo(json(query.getKey()).getBytes(StandardCharsets.UTF_8));
                    assertThat(StoredJson.read(row, "resource_json"))
                            .as(query.getKey())
                            .isEqualTo(json(query.getKey()));
                }
            }
            assertThatThrownBy(() -> update(
                            connection,
                            "insert into audit_event (id, recorded, action, outcome, subtype, resource_json) values"
                                    + " ('a2', current_timestamp, 'C', '0', 'create', ?)",
                            null))
                    .isInstanceOf(SQLException.class);
        }
    }

    private static String json(String what) {
        return "{\"resourceType\":\"Basic\",\"id\":\"" + what + "\",\"text\":\"" + TEXT + "\"}";
    }

    private static void update(Connection connection, String sql, String json) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (json == null) {
                statement.setNull(1, Types.VARBINARY);
            } else {
                statement.setString(1, json);
            }
            statement.executeUpdate();
        }
    }
}
