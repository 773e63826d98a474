package org.twitchtriage.testing;

import org.springframework.jdbc.core.JdbcTemplate;

/** Row counts of the tables a submission writes to: responses, triage results and outbox deliveries. */
public record StoredRows(int responses, int triageResources, int deliveries) {

    public static StoredRows count(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                "select (select count(*) from questionnaire_response),"
                        + " (select count(*) from triage_resource), (select count(*) from delivery)",
                (row, n) -> new StoredRows(row.getInt(1), row.getInt(2), row.getInt(3)));
    }
}
