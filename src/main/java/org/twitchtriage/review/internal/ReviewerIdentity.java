package org.twitchtriage.review.internal;

import org.springframework.stereotype.Component;
import org.twitchtriage.security.Caller;
import org.twitchtriage.security.Callers;

/**
 * Who is reviewing: the signed-in clinician's {@code fhirUser} (e.g. {@code Practitioner/12}) when the
 * provider gives one, else their subject at the provider; {@value #DEVELOPMENT} in development mode, where
 * the clinician pages are open on loopback.
 */
@Component
public class ReviewerIdentity {

    static final String DEVELOPMENT = "development";

    private final Callers callers;

    ReviewerIdentity(Callers callers) {
        this.callers = callers;
    }

    /** The current caller, for the audit trail. */
    Caller caller() {
        return callers.current();
    }

    /** The reviewer's name as recorded on Tasks and orders. */
    String name() {
        Caller caller = callers.current();
        if (caller.fhirUser() != null && !caller.fhirUser().isBlank()) {
            return caller.fhirUser();
        }
        return caller.subject() == null || caller.subject().isBlank() ? DEVELOPMENT : caller.subject();
    }
}
