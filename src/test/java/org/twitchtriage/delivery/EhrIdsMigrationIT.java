package org.twitchtriage.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.TestDatabase;

/**
 * Deliveries made before the EHR ids had a table of their own keep them: the migration splits the stored
 * {@code local=ehr} lines into rows, in their order.
 */
class EhrIdsMigrationIT {

    @Test
    void storedLinesBecomeOneRowEachInTheirOrder() throws Exception {
        TestDatabase.Migrations database = TestDatabase.migrations("ehr_ids_migration");
        database.migrate("5");
        try (Connection connection = database.connect()) {
            update(
                    connection,
                    "insert into questionnaire_response (id, questionnaire_url, questionnaire_version, subject_id,"
                            + " status, authored_low, authored_high, last_updated, resource_json) values"
                            + " ('r1', 'http://example.org/q', '1', 'p1', 'completed', current_timestamp,"
                            + " current_timestamp, current_timestamp, '{}')");
            delivery(
                    connection,
                    "r1",
                    "triage",
                    "QuestionnaireResponse/r1=QuestionnaireResponse/901\n"
                            + "Observation/r1=Observation/902\nServiceRequest/r1-x=ServiceRequest/903");
            delivery(connection, "r1/approval", "approval", "ServiceRequest/r1-x-approved=ServiceRequest/904");
        }

        database.migrate("latest");

        try (Connection connection = database.connect()) {
            assertThat(ehrIds(connection, "r1"))
                    .containsExactly(
                            "0 QuestionnaireResponse/r1 QuestionnaireResponse/901",
                            "1 Observation/r1 Observation/902",
                            "2 ServiceRequest/r1-x ServiceRequest/903");
            assertThat(ehrIds(connection, "r1/approval"))
                    .containsExactly("0 ServiceRequest/r1-x-approved ServiceRequest/904");
        }
    }

    private static void delivery(Connection connection, String key, String batch, String ehrIds) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into delivery (delivery_key, submission_id, batch, status, attempts, next_attempt_at,"
                        + " ehr_ids, created_at, updated_at, delivered_at) values (?, 'r1', ?, 'DELIVERED', 1,"
                        + " current_timestamp, ?, current_timestamp, current_timestamp, current_timestamp)")) {
            insert.setString(1, key);
            insert.setString(2, batch);
            insert.setString(3, ehrIds);
            insert.executeUpdate();
        }
    }

    private static List<String> ehrIds(Connection connection, String key) throws Exception {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select entry_index, local_reference, ehr_reference from delivery_ehr_id where delivery_key = ?"
                        + " order by entry_index")) {
            query.setString(1, key);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getInt(1) + " " + result.getString(2) + " " + result.getString(3));
                }
            }
        }
        return rows;
    }

    private static void update(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }
}
