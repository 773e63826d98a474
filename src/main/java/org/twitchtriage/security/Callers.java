package org.twitchtriage.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Finds the {@link Caller} of the current request from Spring Security's context. */
public final class Callers {

    private final boolean secured;

    Callers(boolean secured) {
        this.secured = secured;
    }

    /** Whether an authorization server is configured; false in development mode. */
    public boolean secured() {
        return secured;
    }

    /** The caller of the request being handled on this thread. */
    public Caller current() {
        if (!secured) {
            return Caller.development();
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return of(token.getToken());
        }
        return Caller.anonymous();
    }

    /** The caller a verified token describes. */
    static Caller of(Jwt jwt) {
        List<SmartScope> scopes = new ArrayList<>();
        for (String scope : scopeNames(jwt)) {
            SmartScope.parse(scope).ifPresent(scopes::add);
        }
        String clientId = Optional.ofNullable(jwt.getClaimAsString("client_id")).orElse(jwt.getClaimAsString("azp"));
        String patient = patientId(jwt.getClaimAsString("patient"));
        String issuer = jwt.getIssuer() == null ? null : jwt.getIssuer().toString();
        return new Caller(kind(scopes, patient, jwt.getSubject(), clientId), issuer, jwt.getSubject(), clientId,
                patient, jwt.getClaimAsString("fhirUser"), scopes);
    }

    private static List<String> scopeNames(Jwt jwt) {
        Object scope = jwt.getClaims().get("scope");
        if (scope == null) {
            scope = jwt.getClaims().get("scp");
        }
        if (scope instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        if (scope instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static String patientId(String claim) {
        if (claim == null || claim.isBlank()) {
            return null;
        }
        String id = claim.startsWith("Patient/") ? claim.substring("Patient/".length()) : claim;
        return id.matches("[A-Za-z0-9\\-.]{1,64}") ? id : null;
    }

    private static Caller.Kind kind(List<SmartScope> scopes, String patient, String subject, String clientId) {
        boolean user = scopes.stream().anyMatch(s -> s.context() == SmartScope.Context.USER);
        boolean system = scopes.stream().anyMatch(s -> s.context() == SmartScope.Context.SYSTEM);
        if (user) {
            return Caller.Kind.USER;
        }
        if (system) {
            return Caller.Kind.SYSTEM;
        }
        if (patient != null) {
            return Caller.Kind.PATIENT;
        }
        return subject != null && subject.equals(clientId) ? Caller.Kind.SYSTEM : Caller.Kind.USER;
    }
}
