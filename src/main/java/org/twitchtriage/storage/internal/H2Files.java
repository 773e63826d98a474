package org.twitchtriage.storage.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

/** The H2 database file behind a connection, for the housekeeping H2 leaves to its user. */
final class H2Files {

    private H2Files() {}

    /**
     * The MVStore of the H2 database file behind the connection, open in this process; null for anything else
     * (PostgreSQL, an in-memory H2, an H2 server reached over the network).
     */
    static MVStore fileStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        Store store = session.getDatabase().getStore();
        if (store == null) {
            return null;
        }
        MVStore mvStore = store.getMvStore();
        return mvStore.getFileStore() == null ? null : mvStore;
    }
}
