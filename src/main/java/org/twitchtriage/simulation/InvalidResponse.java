package org.twitchtriage.simulation;

import java.util.List;

/** A response left out of the comparison, with what is wrong with it (never its answers). */
record InvalidResponse(String name, List<String> errors) {

    InvalidResponse {
        errors = List.copyOf(errors);
    }
}
