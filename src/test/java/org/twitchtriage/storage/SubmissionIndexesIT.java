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
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.testing.TestDatabase;

/**
 * Every index on the tables a submission writes earns its place: none has the same columns as another, or
 * the first columns of another (where that one serves its lookups just as well), on either database. The
 * only exception is an index H2 keeps for a foreign key, which must have exactly the key's columns. None is led
 * by a column that sorts one submission's rows into several places (a type), and the indexes are exactly those
 * the lookups need. The foreign keys hold all the same.
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
        indexesByTable().forEach((table, indexes) -> {
            assertThat(indexes).as(table).isNotEmpty();
            indexes.forEach((name, columns) -> indexes.forEach((other, otherColumns) -> {
                boolean sameColumns = !name.equals(other) && columns.equals(otherColumns) && name.compareTo(other) < 0;
                boolean leading = columns.size() < otherColumns.size()
                        && otherColumns.subList(0, columns.size()).equals(columns)
                        && !name.startsWith("fk_");
                if (sameColumns || leading) {
                    redundant.add(table + "." + name + " " + columns + " beside " + other + " " + otherColumns);
                }
            }));
        });
        assertThat(redundant).isEmpty();
    }

    /**
     * An index led by the resource or entity type takes a submission's rows in as many places as it has types,
     * each a leaf and its path to the root written again at the commit.
     */
    @Test
    void noIndexIsLedByAType() throws SQLException {
        List<String> ledByType = new ArrayList<>();
        indexesByTable()
                .forEach((table, indexes) -> indexes.forEach((name, columns) -> {
                    if (Set.of("resource_type", "entity_type", "origin").contains(columns.get(0))) {
                        ledByType.add(table + "." + name + " " + columns);
                    }
                }));
        assertThat(ledByType).isEmpty();
    }

    /**
     * Each index a submission writes into, by its columns, and the lookup it serves: one more is one more B-tree
     * every submission writes, so adding one is a decision recorded here. H2 adds an index of exactly the columns
     * of a foreign key that has none (PostgreSQL needs none).
     */
    @Test
    void theIndexesAreThoseTheLookupsNeed() throws SQLException {
        Map<String, List<List<String>>> expected = new TreeMap<>();
        expected.put(
                "questionnaire_response",
                List.of(
                        List.of("id"), // read by id
                        List.of("identifier_system", "identifier_value"), // one response per identifier
                        List.of("subject_id", "authored_low"), // search by patient, newest first
                        List.of("authored_low"))); // search by date, newest first
        expected.put(
                "triage_resource",
                List.of(
                        List.of("resource_key"), // read by type and id
                        List.of("submission_id"), // a submission's resources, and the foreign key
                        List.of("subject_id", "resource_type"), // search by patient
                        List.of("requisition"))); // search by requisition (the orders of one triage)
        expected.put(
                "delivery",
                List.of(
                        List.of("delivery_key"), // read by key
                        List.of("submission_id", "sequence_number"), // a submission's deliveries, in order
                        List.of("status", "next_attempt_at"))); // the deliveries due
        expected.put(
                "worklist_entry",
                List.of(
                        List.of("submission_id"), // read by submission
                        List.of("authored"), // the worklist, newest first
                        List.of("patient_id", "authored"))); // the worklist of a patient, newest first
        expected.put(
                "audit_event",
                List.of(
                        List.of("id"), // read by id
                        List.of("recorded"))); // search by date, newest first
        expected.put(
                "audit_event_agent",
                List.of(
                        List.of("audit_id"), // an event's agents, and the foreign key
                        List.of("who_reference"), // search by agent reference
                        List.of("identifier_value", "identifier_system"))); // search by agent identifier
        expected.put(
                "audit_event_entity",
                List.of(
                        List.of("audit_id", "entity_type", "entity_id"), // an event's entities, once each
                        List.of("entity_id", "entity_type"))); // search by entity or patient
        Map<String, List<List<String>>> h2ForeignKeys = Map.of(
                "delivery", List.of(List.of("submission_id")),
                "audit_event_entity", List.of(List.of("audit_id")));
        assertThat(expected).containsOnlyKeys(TABLES);
        indexesByTable().forEach((table, indexes) -> {
            List<List<String>> wanted = new ArrayList<>(expected.get(table));
            if (!TestDatabase.postgres()) {
                wanted.addAll(h2ForeignKeys.getOrDefault(table, List.of()));
            }
            assertThat(indexes.values()).as(table).containsExactlyInAnyOrderElementsOf(wanted);
        });
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

    /** For each of {@link #TABLES}, its indexes. */
    private Map<String, Map<String, List<String>>> indexesByTable() throws SQLException {
        Map<String, Map<String, List<String>>> byTable = new TreeMap<>();
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            for (String table : TABLES) {
                byTable.put(table, indexes(metaData, table));
            }
        }
        return byTable;
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
