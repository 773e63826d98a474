package org.twitchtriage.intake;

/**
 * A response was submitted with the identifier of one already accepted, but says something else: other
 * answers, another subject, Questionnaire or status. It is not a retry of the first, and a create cannot
 * change what was accepted; nothing was stored.
 */
public class IdentifierConflictException extends RuntimeException {

    public IdentifierConflictException() {
        super("A QuestionnaireResponse with this identifier was already accepted with other content (answers,"
                + " subject, Questionnaire or status). Sending it again with the same identifier is only a retry;"
                + " to correct an accepted response, update it instead of creating it again.");
    }
}
