package org.twitchtriage.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * Development mode: no authorization server configured. The module then listens on 127.0.0.1 unless told
 * otherwise, refuses to start if told to listen on anything but loopback, and refuses any request that
 * arrives on a non-loopback address, so it never serves patient data without authorization on a public
 * interface.
 */
public final class DevelopmentMode implements EnvironmentPostProcessor {

    private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

    /** Whether an authorization server is configured: JWT validation, trusted issuers, token introspection. */
    static boolean secured(Environment environment) {
        return jwtConfigured(environment)
                || TrustedIssuers.configured(environment)
                || TokenIntrospection.configured(environment);
    }

    /** Whether JWTs can be validated: an issuer, a JWK set or a public key is configured. */
    static boolean jwtConfigured(Environment environment) {
        return StringUtils.hasText(environment.getProperty(JWT + "issuer-uri"))
                || StringUtils.hasText(environment.getProperty(JWT + "jwk-set-uri"))
                || StringUtils.hasText(environment.getProperty(JWT + "public-key-location"));
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!secured(environment)) {
            // Lowest precedence: an explicit server.address still wins, and check() then refuses a public one.
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource("developmentModeLoopback", Map.of("server.address", "127.0.0.1")));
        }
    }

    /** Stops start-up when development mode is asked to listen on a non-loopback address. */
    static void check(Environment environment) {
        for (String key : new String[] {"server.address", "management.server.address"}) {
            String address = environment.getProperty(key);
            if (key.startsWith("management")
                    && environment.getProperty("management.server.port") != null
                    && !StringUtils.hasText(address)) {
                throw new IllegalStateException("Development mode listens on loopback only; with"
                        + " management.server.port set, set management.server.address to 127.0.0.1 as well");
            }
            if (StringUtils.hasText(address) && !isLoopback(address)) {
                throw new IllegalStateException("Development mode (no authorization server configured) listens on"
                        + " loopback only, but " + key + " is " + address + ". Configure"
                        + " spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri,"
                        + " spring.security.oauth2.resourceserver.opaquetoken.introspection-uri or"
                        + " security.trusted-issuers), or remove "
                        + key + ".");
            }
        }
    }

    /** Whether every address the name resolves to is a loopback address; an unknown name is not. */
    public static boolean isLoopback(String address) {
        try {
            for (InetAddress resolved : InetAddress.getAllByName(address)) {
                if (!resolved.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Refuses requests that reached the module on a non-loopback address. */
    static final class LoopbackOnlyFilter extends OncePerRequestFilter {

        private final ErrorResponses errors;

        LoopbackOnlyFilter(ErrorResponses errors) {
            this.errors = errors;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!isLoopback(request.getLocalAddr())) {
                errors.send(
                        request,
                        response,
                        HttpServletResponse.SC_FORBIDDEN,
                        IssueType.SECURITY,
                        "Development mode answers on loopback only; configure an authorization server");
                return;
            }
            if (request.getRequestURI().startsWith(request.getContextPath() + "/actuator/health")) {
                // Health details are shown to authorized callers; in development mode that is everyone.
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "development", null, AuthorityUtils.NO_AUTHORITIES));
                SecurityContextHolder.setContext(context);
            }
            chain.doFilter(request, response);
        }
    }
}
