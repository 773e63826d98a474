package org.twitchtriage.questionnaire;

/** A definitional artifact cannot be published as it is; start-up stops with this message. */
public class InvalidContentException extends RuntimeException {

    public InvalidContentException(String message) {
        super(message);
    }

    public InvalidContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
