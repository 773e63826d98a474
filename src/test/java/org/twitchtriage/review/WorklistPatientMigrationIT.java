package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.TestDatabase;

/** Results on the worklist before it kept their patient get it from the response they were triaged from. */
class WorklistPatientMigrationIT {

    @Test
    void storedResultsGetThePatientOfTheirResponse() throws Exception {
        Map<String, String> settings = TestDatabase.arguments("worklist_patient_migration").stream()
                .map(argument -> argument.substring(2).split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair.length > 1 ? pair[1] : ""));
        String url = settings.get("spring.datasource.url");
        String user = settings.getOrDefault("spring.datasource.username", "sa");
        String password = settings.getOrDefault("spring.datasource.password", "");
        var flyway = Flyway.configure().dataSource(url, user, password);
        if (settings.containsKey("spring.flyway.schemas")) {
            flyway.schemas(settings.get("spring.flyway.schemas"));
        }
        flyway.target("8").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(
                    "insert into questionnaire_response (id, questionnaire_url, questionnaire_version, subject_id,"
                            + " status, authored_low, authored_high, last_updated, resource_json) values"
                            + " ('r1', 'http://example.org/q', '1', 'example-17', 'completed', current_timestamp,"
                            + " current_timestamp, current_timestamp, '{}')");
            statement.executeUpdate("insert into worklist_entry (submission_id, reviewed) values ('r1', false)");
        }

        flyway.target("latest").load().migrate();

        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("select patient_id from worklist_entry where submission_id = 'r1'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("patient_id")).isEqualTo("example-17");
        }
    }
}
