package org.twitchtriage.intake;

/**
 * The condition of a conditional create ({@code If-None-Exist}) matches more than one stored response, so
 * there is no single earlier submission to answer with; nothing was stored.
 */
public class AmbiguousConditionException extends RuntimeException {

    public AmbiguousConditionException() {
        super("If-None-Exist matches more than one QuestionnaireResponse");
    }
}
