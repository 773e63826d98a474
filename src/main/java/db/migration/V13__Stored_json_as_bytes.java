package db.migration;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Every {@code resource_json} column holds the JSON's UTF-8 bytes instead of text ({@code StoredJson}): the
 * database copies bytes as they are, where it would encode text again each time it writes a page holding the
 * row. Existing rows are converted in place, as UTF-8. A Java migration because the two databases spell the
 * conversion differently (H2 converts text to binary as UTF-8 by itself; PostgreSQL needs
 * {@code convert_to}), and a migration in one place runs the same wherever Flyway looks for the others.
 */
public class V13__Stored_json_as_bytes extends BaseJavaMigration {

    private static final List<String> TABLES = List.of(
            "questionnaire_response",
            "questionnaire_response_version",
            "triage_resource",
            "triage_resource_version",
            "audit_event");

    @Override
    public void migrate(Context context) throws SQLException {
        String product = context.getConnection().getMetaData().getDatabaseProductName();
        try (Statement statement = context.getConnection().createStatement()) {
            for (String table : TABLES) {
                statement.execute(alter(product, table));
            }
        }
    }

    private static String alter(String product, String table) {
        return switch (product) {
            case "H2" -> "alter table " + table + " alter column resource_json set data type varbinary";
            case "PostgreSQL" ->
                "alter table " + table
                        + " alter column resource_json set data type bytea using convert_to(resource_json, 'UTF8')";
            default -> throw new IllegalStateException("Only H2 and PostgreSQL are supported, not " + product);
        };
    }
}
