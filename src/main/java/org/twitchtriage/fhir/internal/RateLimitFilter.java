package org.twitchtriage.fhir.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * Limits each client's requests on {@code /fhir} ({@link RateLimiter}); a client over its limit gets 429 with
 * {@code Retry-After} (whole seconds) and an OperationOutcome, before its body is read.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final Function<HttpServletRequest, String> clientKey;
    private final ErrorResponses errors;

    RateLimitFilter(RateLimiter limiter, Function<HttpServletRequest, String> clientKey, ErrorResponses errors) {
        this.limiter = limiter;
        this.clientKey = clientKey;
        this.errors = errors;
    }

    /**
     * The authenticated user when there is one (Spring Security sets the principal, and leaves it unset for
     * anonymous requests), otherwise the remote address. Behind a reverse proxy the remote address is the
     * proxy's unless {@code server.forward-headers-strategy} is set.
     */
    static String defaultClientKey(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal != null
                && principal.getName() != null
                && !principal.getName().isBlank()) {
            return "user:" + principal.getName();
        }
        return "address:" + request.getRemoteAddr();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long wait = limiter.acquire(clientKey.apply(request));
        if (wait == 0) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        response.setHeader("Retry-After", String.valueOf(seconds));
        errors.send(
                request,
                response,
                429,
                IssueType.THROTTLED,
                "Too many requests from this client; retry after " + seconds + " second(s)");
    }
}
