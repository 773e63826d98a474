package org.twitchtriage.simulation.internal;

import java.util.List;

/** A response left out of the comparison, with what is wrong with it (never its answers). */
public record InvalidResponse(String name, List<String> errors) {

    public InvalidResponse {
        errors = List.copyOf(errors);
    }
}
