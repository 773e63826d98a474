package org.twitchtriage.cdshooks.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.BadHookRequestException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.CallNotAuthorizedException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.KeysUnavailableException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.LoopbackOnlyException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.TooLargeException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.UnknownCardException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.UnknownServiceException;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.fhir.Failures;

/**
 * The CDS Hooks service's errors, as the rest of the module answers them: a FHIR OperationOutcome (JSON) with the
 * status, the issue's code and a sentence saying what is wrong. CDS Hooks leaves the error body to the service.
 */
@RestControllerAdvice(assignableTypes = CdsServicesController.class)
public class CdsHooksErrors {

    private static final Logger log = LoggerFactory.getLogger(CdsHooksErrors.class);
    static final String REALM = "twitch-triage-cds-hooks";

    private final ErrorResponses errors;

    CdsHooksErrors(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(BadHookRequestException.class)
    void bad(BadHookRequestException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.send(request, response, 400, IssueType.INVALID, e.getMessage());
    }

    @ExceptionHandler(CallNotAuthorizedException.class)
    void unauthorized(CallNotAuthorizedException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"");
        errors.send(request, response, 401, IssueType.LOGIN, e.getMessage());
    }

    @ExceptionHandler(LoopbackOnlyException.class)
    void loopbackOnly(LoopbackOnlyException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        errors.send(request, response, 403, IssueType.SECURITY, e.getMessage());
    }

    @ExceptionHandler({UnknownServiceException.class, UnknownCardException.class})
    void notFound(RuntimeException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.send(request, response, 404, IssueType.NOTFOUND, e.getMessage());
    }

    @ExceptionHandler(TooLargeException.class)
    void tooLarge(TooLargeException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.send(request, response, 413, IssueType.TOOLONG, e.getMessage());
    }

    @ExceptionHandler(KeysUnavailableException.class)
    void keysUnavailable(KeysUnavailableException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("Retry-After", "30");
        errors.send(request, response, 503, IssueType.TRANSIENT, e.getMessage());
    }

    /** Anything else: a 500 that says nothing of the data; the log says what failed, without patient data. */
    @ExceptionHandler(RuntimeException.class)
    void unexpected(RuntimeException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        log.error("CDS Hooks request failed: {}", Failures.describe(e));
        errors.send(
                request,
                response,
                500,
                IssueType.EXCEPTION,
                "The request could not be completed; the server log says why");
    }
}
