package org.twitchtriage.intake;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The Bundle a portal gets back from $submit and $triage: the response first, then what triage wrote. */
public final class SubmissionBundles {

    private SubmissionBundles() {
    }

    public static Bundle of(ResponseIntake.Accepted accepted, String serverBase) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        add(bundle, accepted.response(), serverBase);
        accepted.results().forEach(resource -> add(bundle, resource, serverBase));
        return bundle;
    }

    private static void add(Bundle bundle, Resource resource, String serverBase) {
        String id = resource.getIdElement().getIdPart();
        bundle.addEntry().setFullUrl(serverBase + "/" + resource.fhirType() + "/" + id).setResource(resource);
    }
}
