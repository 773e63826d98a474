package org.twitchtriage.intake;

/**
 * An update was made against a version that is no longer the current one: its {@code If-Match} names an older
 * version, or another update replaced the version it started from. Nothing was stored.
 */
public class StaleVersionException extends RuntimeException {

    /** Another update replaced the version this one started from while it was being made. */
    public StaleVersionException(int started) {
        super("Another update replaced version " + started + " of the QuestionnaireResponse while this one was"
                + " made: read it again and send the update with If-Match on the version read");
    }

    public StaleVersionException(String expected, int current) {
        super("The update was made against version " + expected + " of the QuestionnaireResponse, but version "
                + current + " is current: read it again and send the update with If-Match: W/\"" + current + "\"");
    }
}
