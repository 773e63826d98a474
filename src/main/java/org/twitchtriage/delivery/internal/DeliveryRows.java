package org.twitchtriage.delivery.internal;

import java.sql.Types;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.storage.SqlTimestamps;

/**
 * Inserts new delivery records with one plain JDBC statement in the caller's transaction. A new record is
 * written once by the transaction that creates it and only changed later, by the dispatcher, as a
 * {@link Delivery} it reads: the persistence context would persist, flush and check it for changes for nothing.
 * Columns a pending delivery has no value for (lease, error, EHR outcome, delivered) are left null.
 */
@Component
class DeliveryRows {

    private static final String INSERT = "insert into delivery (delivery_key, submission_id, batch, status,"
            + " attempts, next_attempt_at, created_at, updated_at, sequence_number, revision)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int[] TYPES = {
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.INTEGER,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.INTEGER,
        Types.INTEGER
    };

    private final JdbcTemplate jdbc;

    DeliveryRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a delivery made by {@link Delivery#pending} and not yet stored. */
    void insert(Delivery pending) {
        jdbc.update(
                INSERT,
                new Object[] {
                    pending.key(),
                    pending.submissionId(),
                    pending.batch().code(),
                    pending.status().name(),
                    pending.attempts(),
                    SqlTimestamps.utc(pending.nextAttemptAt()),
                    SqlTimestamps.utc(pending.createdAt()),
                    SqlTimestamps.utc(pending.updatedAt()),
                    pending.sequenceNumber(),
                    pending.revision()
                },
                TYPES);
    }
}
