package org.twitchtriage.security.internal;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Chooses, per token, how a bearer token is checked when both JWT validation and introspection are
 * configured: a token shaped like a JWT (it parses as one) is validated as a JWT, any other token is
 * introspected. With only one of them configured, every token goes to that one.
 */
final class BearerTokenRouting implements AuthenticationManagerResolver<HttpServletRequest> {

    private final AuthenticationManager jwt;
    private final AuthenticationManager opaque;

    /**
     * @param jwt    checks JWTs; null when no JWT issuer or key set is configured
     * @param opaque introspects opaque tokens; null when no introspection endpoint is configured
     */
    BearerTokenRouting(AuthenticationManager jwt, AuthenticationManager opaque) {
        if (jwt == null && opaque == null) {
            throw new IllegalArgumentException("JWT validation or introspection must be configured");
        }
        this.jwt = jwt;
        this.opaque = opaque;
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return this::authenticate;
    }

    private Authentication authenticate(Authentication authentication) {
        if (jwt == null) {
            return opaque.authenticate(authentication);
        }
        if (opaque == null) {
            return jwt.authenticate(authentication);
        }
        return (isJwt(authentication) ? jwt : opaque).authenticate(authentication);
    }

    static boolean isJwt(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return false;
        }
        try {
            JWTParser.parse(bearer.getToken());
            return true;
        } catch (ParseException notJwt) {
            return false;
        }
    }
}
