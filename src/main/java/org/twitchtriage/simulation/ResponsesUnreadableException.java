package org.twitchtriage.simulation;

/** The responses to simulate could not be read at all (a missing folder, an unusable database). */
class ResponsesUnreadableException extends RuntimeException {

    ResponsesUnreadableException(String message) {
        super(message);
    }
}
