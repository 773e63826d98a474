package org.twitchtriage.intake;

/** The condition of a conditional create ({@code If-None-Exist}) names a search the intake cannot run. */
public class InvalidConditionException extends RuntimeException {

    public InvalidConditionException(String message) {
        super(message);
    }
}
