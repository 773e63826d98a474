package org.twitchtriage.security.internal.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.twitchtriage.security.internal.sandbox.SandboxUsers.DemoUser;

/**
 * What makes the sandbox's authorization server a SMART one: it checks the {@code launch} and {@code aud}
 * parameters of an authorization request, puts the launch context into the access token (the {@code patient},
 * {@code fhirUser} and {@code scope} claims the module reads, with {@code scope} space-separated) and into the
 * token response ({@code patient}, {@code need_patient_banner}), and names the user in the ID token's
 * {@code fhirUser}.
 */
final class SmartContext {

    static final String LAUNCH = "launch";
    static final String AUDIENCE = "aud";
    static final String STANDALONE_PATIENT = "launch/patient";

    private final SandboxLaunches launches;
    private final String fhirBase;
    private final OAuth2AuthorizationService authorizations;

    /**
     * @param fhirBase the module's FHIR base, the only audience a client may ask for and the tokens' {@code aud}
     */
    SmartContext(SandboxLaunches launches, String fhirBase, OAuth2AuthorizationService authorizations) {
        this.launches = launches;
        this.fhirBase = fhirBase;
        this.authorizations = authorizations;
    }

    /**
     * Added to the authorization endpoint's own checks. It runs before the user signs in (so an unknown launch
     * is refused at once) and again after, when the launch must be one made for that user.
     */
    void checkAuthorizationRequest(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Map<String, Object> parameters = request.getAdditionalParameters();
        Object audience = parameters.get(AUDIENCE);
        if (audience != null && !fhirBase.equals(withoutTrailingSlash(audience.toString()))) {
            refuse(
                    request,
                    OAuth2ErrorCodes.INVALID_REQUEST,
                    "aud names a FHIR server this authorization server does not issue tokens for; use " + fhirBase);
        }
        Object launch = parameters.get(LAUNCH);
        if (launch == null) {
            return;
        }
        Optional<SandboxLaunches.Launch> found = launches.find(launch.toString());
        if (found.isEmpty()) {
            refuse(
                    request,
                    OAuth2ErrorCodes.INVALID_REQUEST,
                    "The launch is unknown or has expired; start again from the launcher");
        }
        Authentication principal = (Authentication) request.getPrincipal();
        if (signedIn(principal)) {
            String who =
                    SandboxUsers.named(principal.getName()).map(DemoUser::who).orElse("");
            if (!who.equals(found.get().who())) {
                refuse(
                        request,
                        OAuth2ErrorCodes.ACCESS_DENIED,
                        "This launch is for the demo " + found.get().who() + "; sign in as that user");
            }
        }
    }

    /** The claims of the access and ID tokens. */
    void customize(JwtEncodingContext context) {
        Optional<DemoUser> user = SandboxUsers.named(context.getPrincipal().getName());
        if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            user.ifPresent(u -> context.getClaims().claim("fhirUser", u.fhirUser()));
            return;
        }
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        Set<String> scopes = context.getAuthorizedScopes();
        context.getClaims()
                .claim("scope", String.join(" ", scopes))
                .audience(List.of(fhirBase))
                .claim("client_id", context.getRegisteredClient().getClientId());
        user.ifPresent(u -> context.getClaims().claim("fhirUser", u.fhirUser()));
        patient(context.getAuthorization(), scopes, user)
                .ifPresent(patient -> context.getClaims().claim("patient", patient));
    }

    /** Adds the access token's patient to the token response, as SMART clients expect it there. */
    void addToTokenResponse(OAuth2AccessTokenAuthenticationContext context) {
        OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
        OAuth2Authorization authorization =
                authorizations.findByToken(issued.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
        Object patient = authorization == null || authorization.getAccessToken().getClaims() == null
                ? null
                : authorization.getAccessToken().getClaims().get("patient");
        if (patient == null) {
            return;
        }
        Map<String, Object> parameters = new LinkedHashMap<>(issued.getAdditionalParameters());
        parameters.put("patient", patient.toString());
        parameters.put("need_patient_banner", Boolean.TRUE);
        OAuth2AccessTokenResponse.Builder response = context.getAccessTokenResponse();
        response.additionalParameters(parameters);
    }

    /** From the launch the request named, else for a standalone {@code launch/patient}, the user's own patient. */
    private Optional<String> patient(OAuth2Authorization authorization, Set<String> scopes, Optional<DemoUser> user) {
        OAuth2AuthorizationRequest request =
                authorization == null ? null : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        Object launch =
                request == null ? null : request.getAdditionalParameters().get(LAUNCH);
        if (launch != null) {
            return launches.find(launch.toString()).map(SandboxLaunches.Launch::patient);
        }
        if (scopes.contains(STANDALONE_PATIENT)) {
            return user.map(DemoUser::patient);
        }
        return Optional.empty();
    }

    private static boolean signedIn(Authentication principal) {
        return principal != null && principal.isAuthenticated() && !(principal instanceof AnonymousAuthenticationToken);
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static void refuse(OAuth2AuthorizationCodeRequestAuthenticationToken request, String code, String why) {
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, why, null), request);
    }
}
