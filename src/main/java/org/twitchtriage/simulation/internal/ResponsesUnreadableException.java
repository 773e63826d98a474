package org.twitchtriage.simulation.internal;

/** The responses to simulate could not be read at all (a missing folder, an unusable database). */
public class ResponsesUnreadableException extends RuntimeException {

    ResponsesUnreadableException(String message) {
        super(message);
    }
}
