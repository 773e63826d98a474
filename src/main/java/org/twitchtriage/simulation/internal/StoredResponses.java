package org.twitchtriage.simulation.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.twitchtriage.storage.StoredJson;

/**
 * The QuestionnaireResponses stored in the module's database, by id, read with plain JDBC and nothing
 * written. Each response is read at its current version, the one the main table holds (after a correction, the
 * corrected answers; the versions it replaced are not read). Retracted ones ({@code entered-in-error}) are left out
 * and counted. An H2 file is opened only if it exists, so a wrong path is reported instead of creating an empty
 * database.
 */
public final class StoredResponses {

    /** H2's error code for a database file that another process holds open. */
    private static final int H2_DATABASE_IN_USE = 90020;
    /** H2's error code for a database that does not exist (with IFEXISTS=TRUE). */
    private static final int H2_DATABASE_NOT_FOUND = 90146;

    private static final String QUERY =
            "select id, status, resource_json from questionnaire_response order by authored_low, id";
    private static final String RETRACTED = "entered-in-error";

    private final ResponseParser parser;

    public StoredResponses(ResponseParser parser) {
        this.parser = parser;
    }

    public ResponseBatch read(String url, String username, String password) {
        List<NamedResponse> responses = new ArrayList<>();
        List<InvalidResponse> unreadable = new ArrayList<>();
        int retracted = 0;
        try (Connection connection = DriverManager.getConnection(existingOnly(url), username, password);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                if (RETRACTED.equals(rows.getString("status"))) {
                    retracted++;
                } else {
                    parser.parse(rows.getString("id"), StoredJson.read(rows, "resource_json"), responses, unreadable);
                }
            }
        } catch (SQLException e) {
            throw new ResponsesUnreadableException(explain(e, url));
        }
        return new ResponseBatch(responses, unreadable, retracted);
    }

    static String existingOnly(String url) {
        boolean h2File = url.startsWith("jdbc:h2:")
                && !url.startsWith("jdbc:h2:mem:")
                && !url.startsWith("jdbc:h2:tcp:")
                && !url.startsWith("jdbc:h2:ssl:");
        return h2File && !url.toUpperCase(Locale.ROOT).contains("IFEXISTS=") ? url + ";IFEXISTS=TRUE" : url;
    }

    private static String explain(SQLException e, String url) {
        String database = withoutSettings(url);
        return switch (e.getErrorCode()) {
            case H2_DATABASE_IN_USE ->
                "the database " + database + " is in use by a running module (H2 says the"
                        + " file is locked): stop the module, or simulate on a copy of the file"
                        + " (--spring.datasource.url=jdbc:h2:file:/path/to/copy)";
            case H2_DATABASE_NOT_FOUND -> "there is no database at " + database + " (check spring.datasource.url)";
            default -> "cannot read the stored responses from " + database + ": " + e.getMessage();
        };
    }

    /** The URL without its settings, which can hold credentials for some drivers. */
    private static String withoutSettings(String url) {
        int cut = url.length();
        for (char c : new char[] {';', '?'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return url.substring(0, cut);
    }
}
