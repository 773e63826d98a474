package org.twitchtriage.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.security.internal.SmartScope;

/**
 * Finds the {@link Caller} of the current request from Spring Security's context: a bearer token on
 * {@code /fhir} (a verified JWT's claims, or what the introspection endpoint answered about an opaque token,
 * read alike), or a clinician's OpenID Connect sign-in on the pages.
 */
public final class Callers {

    private final boolean secured;

    public Callers(boolean secured) {
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
        if (authentication instanceof BearerTokenAuthentication token
                && token.getPrincipal() instanceof OAuth2AuthenticatedPrincipal introspected) {
            return of(introspected);
        }
        if (authentication instanceof OAuth2AuthenticationToken signIn
                && signIn.getPrincipal() instanceof OidcUser user) {
            return of(user, signIn);
        }
        return Caller.anonymous();
    }

    /** A user signed in to the clinician pages: the ID token says who, the granted scopes what. */
    static Caller of(OidcUser user, OAuth2AuthenticationToken signIn) {
        List<SmartScope> scopes = new ArrayList<>();
        signIn.getAuthorities().stream()
                .map(authority -> authority.getAuthority())
                .filter(authority -> authority.startsWith("SCOPE_"))
                .forEach(authority ->
                        SmartScope.parse(authority.substring("SCOPE_".length())).ifPresent(scopes::add));
        String clientId = Optional.ofNullable(user.getIdToken().getAuthorizedParty())
                .orElse(
                        user.getIdToken().getAudience().isEmpty()
                                ? null
                                : user.getIdToken().getAudience().get(0));
        String issuer = user.getIssuer() == null ? null : user.getIssuer().toString();
        return new Caller(
                Caller.Kind.USER, issuer, user.getSubject(), clientId, null, user.getClaimAsString("fhirUser"), scopes);
    }

    /** The caller a verified token describes. */
    static Caller of(Jwt jwt) {
        return of(jwt.getClaims());
    }

    /**
     * The caller an introspection answer describes: RFC 7662's members ({@code sub}, {@code client_id},
     * {@code scope}, {@code iss}) and SMART's ({@code patient}, {@code fhirUser}) mean what the same claims
     * of a JWT do.
     */
    static Caller of(OAuth2AuthenticatedPrincipal introspected) {
        return of(introspected.getAttributes());
    }

    private static Caller of(Map<String, Object> claims) {
        List<SmartScope> scopes = new ArrayList<>();
        for (String scope : scopeNames(claims)) {
            SmartScope.parse(scope).ifPresent(scopes::add);
        }
        String subject = text(claims, "sub");
        String clientId = text(claims, "client_id") != null ? text(claims, "client_id") : text(claims, "azp");
        String patient = patientId(text(claims, "patient"));
        return new Caller(
                kind(scopes, patient, subject, clientId),
                text(claims, "iss"),
                subject,
                clientId,
                patient,
                text(claims, "fhirUser"),
                scopes);
    }

    private static String text(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return value == null ? null : value.toString();
    }

    private static List<String> scopeNames(Map<String, Object> claims) {
        Object scope = claims.get("scope");
        if (scope == null) {
            scope = claims.get("scp");
        }
        if (scope instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        if (scope instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static String patientId(String claim) {
        if (claim == null || claim.isBlank()) {
            return null;
        }
        String id = claim.startsWith("Patient/") ? claim.substring("Patient/".length()) : claim;
        return FhirIds.isId(id) ? id : null;
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
