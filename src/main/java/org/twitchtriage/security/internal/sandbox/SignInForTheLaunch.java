package org.twitchtriage.security.internal.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.twitchtriage.security.internal.sandbox.SandboxUsers.DemoUser;

/**
 * One browser often plays both demo users: the patient submits, then the clinician opens the results. An
 * authorization request that needs the other user than the one signed in (a launch made for the clinician, or
 * the patient form's client while the clinician is signed in) drops the sandbox sign-in first, so the
 * authorization server asks who is there instead of refusing. The sign-in page says whom the request needs.
 */
final class SignInForTheLaunch extends OncePerRequestFilter {

    /** Session attribute: {@code patient} or {@code clinician}, whom the pending authorization request needs. */
    static final String NEEDED = SignInForTheLaunch.class.getName() + ".needed";

    private final SandboxLaunches launches;

    SignInForTheLaunch(SandboxLaunches launches) {
        this.launches = launches;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !(request.getContextPath() + "/oauth2/authorize").equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String needed = needed(request);
        if (needed != null) {
            request.getSession().setAttribute(NEEDED, needed);
            Authentication current = SecurityContextHolder.getContext().getAuthentication();
            if (current != null
                    && current.isAuthenticated()
                    && !(current instanceof AnonymousAuthenticationToken)
                    && !needed.equals(SandboxUsers.named(current.getName())
                            .map(DemoUser::who)
                            .orElse(null))) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.removeAttribute(SandboxAuthorizationServer.CONTEXT_KEY);
                }
            }
        }
        chain.doFilter(request, response);
    }

    private String needed(HttpServletRequest request) {
        String launch = request.getParameter(SmartContext.LAUNCH);
        if (launch != null) {
            return launches.find(launch).map(SandboxLaunches.Launch::who).orElse(null);
        }
        String client = request.getParameter("client_id");
        if (SandboxAuthorizationServer.FORM_CLIENT.equals(client)) {
            return SandboxUsers.PATIENT.who();
        }
        if (SandboxAuthorizationServer.CLINICIAN_CLIENT.equals(client)) {
            return SandboxUsers.CLINICIAN.who();
        }
        return null;
    }
}
