package org.twitchtriage.delivery.internal;

import java.io.IOException;

/**
 * No access token could be had from the SMART token endpoint (or its discovery): unreachable, an error
 * answer, or an answer without a usable token. An {@link IOException}, so that a delivery that needs the token
 * is retried later like one that could not reach the EHR. The message names the endpoint and what went
 * wrong; it never holds the client assertion, a token or the key.
 */
public final class SmartBackendTokenException extends IOException {

    SmartBackendTokenException(String message) {
        super(message);
    }

    SmartBackendTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
