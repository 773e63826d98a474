package org.twitchtriage.testing;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.triage.TriageResources;

/** Triage results as a revision finds them stored. */
public final class StoredResults {

    private StoredResults() {}

    /** Copies of what triage wrote, at version 1, without the shared Device (which a revision never touches). */
    public static List<Resource> atVersionOne(TriageResources written) {
        List<Resource> stored = new ArrayList<>();
        for (Resource resource : written.all()) {
            if (!(resource instanceof Device)) {
                Resource copy = resource.copy();
                copy.getMeta().setVersionId("1");
                stored.add(copy);
            }
        }
        return stored;
    }
}
