package org.twitchtriage.results.internal;

import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Inserts through JDBC rather than Hibernate: Hibernate logs every failed statement at WARN and ERROR before
 * it throws, and losing the race to store a shared row is expected, not an error. PostgreSQL skips the
 * duplicate itself, so its own log stays clean too.
 */
class SharedRowsImpl implements SharedRows {

    private final JdbcTemplate jdbc;
    private final String insert;

    SharedRowsImpl(JdbcTemplate jdbc) throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.insert = postgres(jdbc.getDataSource())
                ? StoredResource.INSERT + " on conflict (resource_key) do nothing"
                : StoredResource.INSERT;
    }

    private static boolean postgres(DataSource dataSource) throws MetaDataAccessException {
        return "PostgreSQL"
                .equals(JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
    }

    @Override
    public void insertShared(StoredResource row) {
        jdbc.update(insert, row.values());
    }
}
