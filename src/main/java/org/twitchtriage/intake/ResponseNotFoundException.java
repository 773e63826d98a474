package org.twitchtriage.intake;

/** An update names a response id that was never accepted; responses are created by POST, never by PUT. */
public class ResponseNotFoundException extends RuntimeException {

    public ResponseNotFoundException(String id) {
        super("No QuestionnaireResponse/" + id + " was accepted; create a response with POST (the server assigns"
                + " its id), or update it by its identifier with PUT QuestionnaireResponse?identifier=system|value");
    }
}
