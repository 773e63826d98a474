package org.twitchtriage.storage;

import jakarta.persistence.AttributeConverter;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A stored resource's JSON as its columns hold it: the text's UTF-8 bytes ({@code varbinary} on H2,
 * {@code bytea} on PostgreSQL), every {@code resource_json} column since V13. The database copies bytes as they
 * are; text it would encode again each time it writes a page holding the row (H2 rewrites a page at every
 * commit that changes it, a character at a time for text).
 */
public final class StoredJson {

    private StoredJson() {}

    /** The JSON as a {@code resource_json} column takes it. */
    public static byte[] bytes(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON a {@code resource_json} column held. */
    public static String text(byte[] stored) {
        return stored == null ? null : new String(stored, StandardCharsets.UTF_8);
    }

    /**
     * The JSON in a column of the current row: bytes, or text in a database file made before V13 (a copy read
     * without migrating it, as the simulation does).
     */
    public static String read(ResultSet rows, String column) throws SQLException {
        int index = rows.findColumn(column);
        return switch (rows.getMetaData().getColumnType(index)) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> text(rows.getBytes(index));
            default -> rows.getString(index);
        };
    }

    /** An entity's {@code resource_json} attribute, text in Java and bytes in its column. */
    @jakarta.persistence.Converter
    public static final class Converter implements AttributeConverter<String, byte[]> {

        @Override
        public byte[] convertToDatabaseColumn(String json) {
            return bytes(json);
        }

        @Override
        public String convertToEntityAttribute(byte[] stored) {
            return text(stored);
        }
    }
}
