package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.jdbc.core.JdbcTemplate;
import org.twitchtriage.storage.StoredJson;

/** What the tables a submission writes to hold: row counts (responses, triage results, outbox deliveries), and an audit record's stored JSON. */
public record StoredRows(int responses, int triageResources, int deliveries) {

    public static StoredRows count(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                "select (select count(*) from questionnaire_response),"
                        + " (select count(*) from triage_resource), (select count(*) from delivery)",
                (row, n) -> new StoredRows(row.getInt(1), row.getInt(2), row.getInt(3)));
    }

    /** The JSON stored for an AuditEvent, read from its column (bytes) and checked to be the event. */
    public static String auditEventJson(JdbcTemplate jdbc, String id) {
        String stored = StoredJson.text(
                jdbc.queryForObject("select resource_json from audit_event where id = ?", byte[].class, id));
        assertThat(stored).startsWith("{\"resourceType\":\"AuditEvent\"");
        return stored;
    }
}
