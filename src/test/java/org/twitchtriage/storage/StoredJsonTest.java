package org.twitchtriage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class StoredJsonTest {

    private static final String JSON = "{\"resourceType\":\"Basic\",\"text\":\"na\u00efve \u2013 \uD83D\uDE42\"}";

    @Test
    void bytesAreTheTextsUtf8AndReadBackAsTheSameText() {
        byte[] stored = StoredJson.bytes(JSON);

        assertThat(stored).hasSize(JSON.length() + 1 + 2 + 2);
        assertThat(StoredJson.text(stored)).isEqualTo(JSON);
        assertThat(new StoredJson.Converter()
                        .convertToEntityAttribute(new StoredJson.Converter().convertToDatabaseColumn(JSON)))
                .isEqualTo(JSON);
        assertThat(StoredJson.bytes(null)).isNull();
        assertThat(StoredJson.text(null)).isNull();
    }

    /** A database file from before V13 (read by the simulation without migrating it) still holds text. */
    @Test
    void aColumnIsReadAsBytesOrAsTheTextAnOlderFileHolds() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:stored-json", "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table old_rows (resource_json varchar not null)");
            statement.execute("create table new_rows (resource_json varbinary not null)");
            try (PreparedStatement old = connection.prepareStatement("insert into old_rows values (?)");
                    PreparedStatement current = connection.prepareStatement("insert into new_rows values (?)")) {
                old.setString(1, JSON);
                old.executeUpdate();
                current.setBytes(1, StoredJson.bytes(JSON));
                current.executeUpdate();
            }
            for (String table : new String[] {"old_rows", "new_rows"}) {
                try (ResultSet rows = statement.executeQuery("select resource_json from " + table)) {
                    assertThat(rows.next()).isTrue();
                    assertThat(StoredJson.read(rows, "resource_json")).as(table).isEqualTo(JSON);
                }
            }
        }
    }
}
