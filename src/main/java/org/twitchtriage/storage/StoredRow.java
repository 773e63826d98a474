package org.twitchtriage.storage;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * A row whose id the module assigns itself (a submission id, a delivery key). Spring Data would otherwise
 * take an entity with an id for an existing row and merge it, reading it first; a row made in code is new
 * until it is stored, and a row read from the database is not.
 */
@MappedSuperclass
public abstract class StoredRow implements Persistable<String> {

    @Transient
    private boolean fresh = true;

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }
}
