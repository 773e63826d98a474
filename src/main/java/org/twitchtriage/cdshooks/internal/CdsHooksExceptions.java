package org.twitchtriage.cdshooks.internal;

/** What can go wrong with a call from the EHR; each becomes an OperationOutcome with its status. */
final class CdsHooksExceptions {

    private CdsHooksExceptions() {}

    /** A body that is not a CDS Hooks request (or feedback) this service can act on: 400. */
    static final class BadHookRequestException extends RuntimeException {

        BadHookRequestException(String message) {
            super(message);
        }
    }

    /** No JWT, or one that is not accepted: 401. The message says why, never the token. */
    static final class CallNotAuthorizedException extends RuntimeException {

        CallNotAuthorizedException(String message) {
            super(message);
        }
    }

    /** A call that reached the module on a non-loopback address in development mode: 403. */
    static final class LoopbackOnlyException extends RuntimeException {

        LoopbackOnlyException() {
            super("Without trusted CDS Hooks issuers or an authorization server the CDS Hooks service answers on"
                    + " loopback only; configure cds-hooks.trusted-issuers");
        }
    }

    /** A service id this module does not offer: 404. */
    static final class UnknownServiceException extends RuntimeException {

        UnknownServiceException(String id) {
            super("There is no CDS service '" + id + "' here; GET /cds-services lists them");
        }
    }

    /** Feedback on a card this service never issued: 404. */
    static final class UnknownCardException extends RuntimeException {

        UnknownCardException(String card) {
            super("This service issued no card '" + card + "'; feedback names the uuid of a card it returned");
        }
    }

    /** The trusted issuer's keys cannot be read right now, so no JWT can be checked: 503. */
    static final class KeysUnavailableException extends RuntimeException {

        KeysUnavailableException() {
            super("The EHR's keys (its JWK set) cannot be read right now, so the JWT cannot be checked; try again");
        }
    }

    /** More than the service reads: 413. */
    static final class TooLargeException extends RuntimeException {

        TooLargeException(int limit) {
            super("The body is larger than the " + limit / 1024 + " KB this service reads");
        }
    }
}
