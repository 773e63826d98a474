package org.twitchtriage.storage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants as the {@code timestamp with time zone} columns take them over JDBC, on H2 and PostgreSQL alike. */
public final class SqlTimestamps {

    private SqlTimestamps() {}

    /** The instant at UTC; null for null. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
