package org.twitchtriage.intake;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.fhir.ConcernsStoredResource;

/**
 * An update would change what a correction may not change (the subject, the Questionnaire), change the answers
 * without saying {@code amended}, or change a retracted response. Nothing was stored.
 */
public class UpdateRefusedException extends RuntimeException implements ConcernsStoredResource {

    private final String element;
    private final transient QuestionnaireResponse stored;

    /**
     * @param element the element of the sent response that is refused, e.g. {@code status}
     * @param stored the current version of the response; never part of the message
     */
    public UpdateRefusedException(String element, String message, QuestionnaireResponse stored) {
        super(message);
        this.element = element;
        this.stored = stored;
    }

    /** The FHIRPath of the refused element. */
    public String expression() {
        return "QuestionnaireResponse." + element;
    }

    @Override
    public IBaseResource storedResource() {
        return stored;
    }
}
