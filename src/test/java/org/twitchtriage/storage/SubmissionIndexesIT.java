package org.twitchtriage.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Every index on the tables a submission writes earns its place: none has the same columns as another, or
 * the first columns of another (where that one serves its lookups just as well), on either database. The
 * only exception is an index H2 keeps for a foreign key, which must have exactly the key's columns. The
 * foreign keys hold all the same.
 */
class SubmissionIndexesIT extends IntegrationTest {

    private static final List<String> TABLES = List.of(
            "questionnaire_response",
            "triage_resource",
            "delivery",
            "worklist_entry",
            "audit_event",
            "audit_event_agent",
            "audit_event_entity");

    @Test
    void noIndexRepeatsTheLeadingColumnsOfAnother() throws SQLException {
        List<String> redundant = new ArrayList<>();
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            for (String table : TABLES) {
                Map<String, List<String>> indexes = indexes(metaData, table);
                assertThat(indexes).as(table).isNotEmpty();
                indexes.forEach((name, columns) -> indexes.forEach((other, otherColumns) -> {
                    boolean sameColumns =
                            !name.equals(other) && columns.equals(otherColumns) && name.compareTo(other) < 0;
                    boolean leading = columns.size() < otherColumns.size()
                            && otherColumns.subList(0, columns.size()).equals(columns)
                            && !name.startsWith("fk_");
                    if (sameColumns || leading) {
                        redundant.add(table + "." + name + " " + columns + " beside " + other + " " + otherColumns);
                    }
                }));
            }
        }
        assertThat(redundant).isEmpty();
    }

    @Test
    void theForeignKeysStillRefuseRowsOfNoSubmission() {
        assertThatThrownBy(() -> jdbc.update("insert into triage_resource (resource_key, resource_type, resource_id,"
                        + " submission_id, last_updated, resource_json) values ('Observation/orphan', 'Observation',"
                        + " 'orphan', 'no-such-submission', current_timestamp, '{}')"))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("insert into delivery (delivery_key, submission_id, status, attempts,"
                        + " next_attempt_at, created_at, updated_at, sequence_number) values ('orphan',"
                        + " 'no-such-submission', 'PENDING', 0, current_timestamp, current_timestamp,"
                        + " current_timestamp, 2)"))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("insert into audit_event_agent (audit_id, who_reference) values"
                        + " ('no-such-event', 'Device/orphan')"))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    /** Index name (lower case) to its columns in order, for one table. */
    private static Map<String, List<String>> indexes(DatabaseMetaData metaData, String table) throws SQLException {
        String name = metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        Map<String, Map<Short, String>> columns = new TreeMap<>();
        try (ResultSet rows =
                metaData.getIndexInfo(null, metaData.getConnection().getSchema(), name, false, true)) {
            while (rows.next()) {
                String index = rows.getString("INDEX_NAME");
                String column = rows.getString("COLUMN_NAME");
                if (index != null && column != null) {
                    columns.computeIfAbsent(index.toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                            .put(rows.getShort("ORDINAL_POSITION"), column.toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> List.copyOf(e.getValue().values()), (a, b) -> a, TreeMap::new));
    }
}
