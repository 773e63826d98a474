package org.twitchtriage.review.internal;

import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.storage.SqlTimestamps;

/**
 * Inserts the entries of new results as one JDBC batch in the caller's transaction: an entry is written once
 * when its result is recorded and later changed only by updates ({@link WorklistEntries}), so the persistence
 * context would persist, flush and check it for changes for nothing. A new entry is not reviewed, not retracted,
 * at revision 1, with no approval delivery, previous level or attention.
 */
@Component
class WorklistRows {

    private static final String INSERT = "insert into worklist_entry (submission_id, authored, level_system,"
            + " level_code, reviewed, triage_delivery, revision, retracted, patient_id)"
            + " values (?, ?, ?, ?, false, ?, 1, false, ?)";
    private static final int[] TYPES = {
        Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR
    };

    private final JdbcTemplate jdbc;

    WorklistRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Collection<WorklistEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> values = new ArrayList<>(entries.size());
        for (WorklistEntry entry : entries) {
            values.add(new Object[] {
                entry.getId(),
                SqlTimestamps.utc(entry.authored()),
                entry.levelSystem(),
                entry.levelCode(),
                entry.triageDelivery(),
                entry.patientId()
            });
        }
        jdbc.batchUpdate(INSERT, values, TYPES);
    }
}
