package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.TestDatabase;

/** Results on the worklist before it kept their patient get it from the response they were triaged from. */
class WorklistPatientMigrationIT {

    @Test
    void storedResultsGetThePatientOfTheirResponse() throws Exception {
        TestDatabase.Migrations database = TestDatabase.migrations("worklist_patient_migration");
        database.migrate("8");
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(
                    "insert into questionnaire_response (id, questionnaire_url, questionnaire_version, subject_id,"
                            + " status, authored_low, authored_high, last_updated, resource_json) values"
                            + " ('r1', 'http://example.org/q', '1', 'example-17', 'completed', current_timestamp,"
                            + " current_timestamp, current_timestamp, '{}')");
            statement.executeUpdate("insert into worklist_entry (submission_id, reviewed) values ('r1', false)");
        }

        database.migrate("latest");

        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("select patient_id from worklist_entry where submission_id = 'r1'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("patient_id")).isEqualTo("example-17");
        }
    }
}
