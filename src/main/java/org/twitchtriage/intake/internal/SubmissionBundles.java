package org.twitchtriage.intake.internal;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;

/** The Bundle a portal gets back from $submit and $triage: the response first, then what triage wrote. */
public final class SubmissionBundles {

    private SubmissionBundles() {}

    /** @param serverBase the base of the entries' fullUrls; none when empty (the command line has no server) */
    public static Bundle of(ResponseIntake.Accepted accepted, String serverBase) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        add(bundle, accepted.response(), serverBase);
        accepted.results().forEach(resource -> add(bundle, resource, serverBase));
        return bundle;
    }

    private static void add(Bundle bundle, Resource resource, String serverBase) {
        Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(resource);
        if (serverBase != null && !serverBase.isEmpty()) {
            entry.setFullUrl(serverBase + "/" + FhirIds.reference(resource));
        }
    }
}
