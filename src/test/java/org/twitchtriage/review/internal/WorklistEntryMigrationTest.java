package org.twitchtriage.review.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The worklist's table, filled by its migration from what an earlier version stored. */
class WorklistEntryMigrationTest {

    private static final String LEVELS = "http://example.org/levels";

    private final DriverManagerDataSource database =
            new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(database);

    @Test
    void everyStoredTriageResultGetsAnEntryWithItsReviewAndDeliveries() {
        migrate("5");
        response("plain");
        observation("plain", "2025-01-02T10:00:00Z", "urgent");
        delivery("plain", "plain", "triage", "PENDING");
        response("reviewed");
        observation("reviewed", "2025-01-03T10:00:00Z", "self-care");
        resource("Task/reviewed-review", "Task", "reviewed", "review");
        delivery("reviewed", "reviewed", "triage", "DELIVERED");
        delivery("reviewed/approval", "reviewed", "approval", "FAILED");
        response("untriaged");
        delivery("untriaged", "untriaged", "triage", "PENDING");
        resource("Device/twitch-triage", "Device", null, "triage");

        migrate("6");

        List<Map<String, Object>> entries = jdbc.queryForList("select * from worklist_entry order by submission_id");
        assertThat(entries)
                .extracting(
                        entry -> entry.get("submission_id"),
                        entry -> entry.get("level_system"),
                        entry -> entry.get("level_code"),
                        entry -> entry.get("reviewed"),
                        entry -> entry.get("triage_delivery"),
                        entry -> entry.get("approval_delivery"))
                .containsExactly(
                        tuple("plain", LEVELS, "urgent", false, "pending", null),
                        tuple("reviewed", LEVELS, "self-care", true, "delivered", "failed"));
        assertThat(jdbc.queryForObject(
                        "select count(*) from worklist_entry where authored = timestamp with time zone"
                                + " '2025-01-02 10:00:00+00'",
                        Integer.class))
                .isEqualTo(1);
    }

    private void migrate(String version) {
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .target(version)
                .load()
                .migrate();
    }

    private void response(String id) {
        jdbc.update(
                "insert into questionnaire_response (id, questionnaire_url, questionnaire_version, subject_id, status,"
                        + " authored_low, authored_high, last_updated, resource_json) values (?, 'q', '1', 'p',"
                        + " 'completed', current_timestamp, current_timestamp, current_timestamp, '{}')",
                id);
    }

    private void observation(String submissionId, String effective, String level) {
        jdbc.update(
                "insert into triage_resource (resource_key, resource_type, resource_id, submission_id, value_system,"
                        + " value_code, recorded, last_updated, resource_json, origin) values (?, 'Observation', ?, ?,"
                        + " ?, ?, cast(? as timestamp with time zone), current_timestamp, '{}', 'triage')",
                "Observation/" + submissionId,
                submissionId,
                submissionId,
                LEVELS,
                level,
                effective.replace('T', ' ').replace("Z", "+00"));
    }

    private void resource(String key, String type, String submissionId, String origin) {
        jdbc.update(
                "insert into triage_resource (resource_key, resource_type, resource_id, submission_id, last_updated,"
                        + " resource_json, origin) values (?, ?, ?, ?, current_timestamp, '{}', ?)",
                key,
                type,
                key.substring(key.indexOf('/') + 1),
                submissionId,
                origin);
    }

    private void delivery(String key, String submissionId, String batch, String status) {
        jdbc.update(
                "insert into delivery (delivery_key, submission_id, batch, status, attempts, next_attempt_at,"
                        + " created_at, updated_at) values (?, ?, ?, ?, 0, current_timestamp, current_timestamp,"
                        + " current_timestamp)",
                key,
                submissionId,
                batch,
                status);
    }
}
