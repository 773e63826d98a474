package org.twitchtriage.results.internal;

import org.springframework.dao.DuplicateKeyException;

/** Rows every submission shares, which the first submissions on an empty database race to insert. */
public interface SharedRows {

    /**
     * Inserts the row unless one with its key is stored. Run it in a transaction of its own: where the
     * database cannot skip a duplicate in the statement itself (H2), a lost race fails the statement.
     *
     * @throws DuplicateKeyException when another writer stored the row first and the database said so
     */
    void insertShared(StoredResource row);
}
