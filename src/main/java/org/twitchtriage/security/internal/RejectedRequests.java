package org.twitchtriage.security.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * What a client hears when Spring Security's firewall ({@link HeaderCheck}) refuses its request: on the FHIR
 * endpoint a 400 OperationOutcome saying what kind of thing is not allowed, elsewhere a plain 400. The
 * firewall's own message is not repeated: it quotes the refused header's value, which may be a credential.
 */
final class RejectedRequests implements RequestRejectedHandler {

    static final String DIAGNOSTICS = "The request was refused before it was read: its URL, method, header names or"
            + " values, or parameter names hold something not allowed here (a control character or one Unicode"
            + " does not assign, a non-Latin-1 byte in a header, an encoded slash, a semicolon, or a path segment"
            + " such as '..')";

    private final ErrorResponses errors;
    private final RequestRejectedHandler otherwise = new HttpStatusRequestRejectedHandler();

    RejectedRequests(ErrorResponses errors) {
        this.errors = errors;
    }

    /** Whether the request is for the FHIR endpoint, by its full URI: the FHIR servlet is not Spring MVC's. */
    static boolean isFhir(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/fhir/");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException, ServletException {
        if (isFhir(request)) {
            errors.send(request, response, HttpServletResponse.SC_BAD_REQUEST, IssueType.INVALID, DIAGNOSTICS);
        } else {
            otherwise.handle(request, response, rejected);
        }
    }
}
