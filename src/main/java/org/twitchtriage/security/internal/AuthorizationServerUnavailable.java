package org.twitchtriage.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * Answers 503 with an OperationOutcome, instead of a bare 500, while tokens cannot be checked because the
 * authorization server's metadata or keys cannot be fetched, or its introspection endpoint does not answer
 * (unreachable, too slow, an error status, or refusing the module's client credentials). The client may
 * retry; nothing was done.
 */
public final class AuthorizationServerUnavailable extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationServerUnavailable.class);

    private final ErrorResponses errors;

    AuthorizationServerUnavailable(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (JwtDecoderInitializationException | AuthenticationServiceException unavailable) {
            // Class names only: an exception's message may quote the endpoint's answer, which may name a patient.
            log.warn(
                    "Access tokens cannot be checked: the authorization server's configuration, keys or"
                            + " introspection endpoint could not be reached ({})",
                    causes(unavailable));
            if (response.isCommitted()) {
                throw unavailable;
            }
            response.resetBuffer();
            response.setHeader("Retry-After", "30");
            errors.send(
                    request,
                    response,
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    IssueType.TRANSIENT,
                    "Access tokens"
                            + " cannot be checked right now: the authorization server cannot be reached. Try again"
                            + " later.");
        }
    }

    private static String causes(Throwable thrown) {
        StringBuilder names = new StringBuilder(thrown.getClass().getSimpleName());
        Throwable cause = thrown.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            names.append(" < ").append(cause.getClass().getSimpleName());
        }
        return names.toString();
    }
}
