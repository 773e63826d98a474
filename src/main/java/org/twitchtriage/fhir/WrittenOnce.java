package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.IdType;

/** Reads of resources the module writes once and never updates: version 1 is their only version. */
public final class WrittenOnce {

    private WrittenOnce() {}

    /** The resource {@code id} names, by {@code find}; 404 for an unknown id or a version other than 1. */
    public static <T> T read(IdType id, Function<String, Optional<T>> find) {
        if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
            throw new ResourceNotFoundException(id);
        }
        return find.apply(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }
}
