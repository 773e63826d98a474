package org.twitchtriage.intake;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.fhir.ConcernsStoredResource;

/**
 * A response was submitted with the identifier of one already accepted, but says something else: other
 * answers, another subject, Questionnaire or status. It is not a retry of the first, and a create cannot
 * change what was accepted; nothing was stored.
 */
public class IdentifierConflictException extends RuntimeException implements ConcernsStoredResource {

    private final transient QuestionnaireResponse accepted;

    /** @param accepted the response accepted under the identifier; never part of the message */
    public IdentifierConflictException(QuestionnaireResponse accepted) {
        super("A QuestionnaireResponse with this identifier was already accepted with other content (answers,"
                + " subject, Questionnaire or status). Sending it again with the same identifier is only a retry;"
                + " to correct an accepted response, update it instead of creating it again.");
        this.accepted = accepted;
    }

    @Override
    public IBaseResource storedResource() {
        return accepted;
    }
}
