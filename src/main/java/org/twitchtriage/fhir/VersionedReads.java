package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.hl7.fhir.r4.model.IdType;

/** Reads and vreads of resources that have versions: 404 for an unknown id or version. */
public final class VersionedReads {

    private VersionedReads() {}

    /**
     * @param current the current version of the resource with the given id
     * @param version the given version of the resource with the given id
     */
    public static <T> T read(
            IdType id, Function<String, Optional<T>> current, BiFunction<String, Integer, Optional<T>> version) {
        Optional<T> found;
        if (!id.hasVersionIdPart()) {
            found = current.apply(id.getIdPart());
        } else if (id.getVersionIdPart().matches("[1-9][0-9]{0,8}")) {
            found = version.apply(id.getIdPart(), Integer.parseInt(id.getVersionIdPart()));
        } else {
            found = Optional.empty();
        }
        return found.orElseThrow(() -> new ResourceNotFoundException(id));
    }

    /** Every version of the resource, newest first; 404 when there is none. */
    public static <T> List<T> history(IdType id, Function<String, List<T>> versions) {
        List<T> found = versions.apply(id.getIdPart());
        if (found.isEmpty()) {
            throw new ResourceNotFoundException(id);
        }
        return found;
    }
}
