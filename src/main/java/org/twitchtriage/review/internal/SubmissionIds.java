package org.twitchtriage.review.internal;

import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;

/** Submission ids as the clinician API takes them in its paths: FHIR ids, or else no result has them. */
final class SubmissionIds {

    private static final int QUOTED = 64;

    private SubmissionIds() {}

    static boolean wellFormed(String id) {
        return FhirIds.isId(id);
    }

    /** The id if it can be one; otherwise no such result, quoted shortened since a path can be long. */
    static String checked(String id) {
        if (!wellFormed(id)) {
            throw new ResultNotFoundException(id.length() > QUOTED ? id.substring(0, QUOTED) + "…" : id);
        }
        return id;
    }
}
