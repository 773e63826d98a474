package org.twitchtriage.security.internal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Chooses, per token, how a bearer token is checked. A token shaped like a JWT (it parses as one) goes to the
 * trusted issuer its unverified {@code iss} claim names ({@link TrustedIssuers}), else to the primary JWT
 * validation (or, without one, to introspection); any other token is introspected. A token that fits none of the configured ways is refused as
 * invalid (401). Nothing read from a token before its check decides more than which check it gets: the
 * chosen check verifies the signature, issuer and audience itself.
 */
final class BearerTokenRouting implements AuthenticationManagerResolver<HttpServletRequest> {

    private final AuthenticationManager jwt;
    private final TrustedIssuers trusted;
    private final AuthenticationManager opaque;

    /**
     * @param jwt     checks JWTs of the primary issuer; null when no JWT issuer or key set is configured
     * @param trusted the further issuers whose JWTs are accepted; may be empty
     * @param opaque  introspects opaque tokens; null when no introspection endpoint is configured
     */
    BearerTokenRouting(AuthenticationManager jwt, TrustedIssuers trusted, AuthenticationManager opaque) {
        if (jwt == null && opaque == null && trusted.isEmpty()) {
            throw new IllegalArgumentException("JWT validation, a trusted issuer or introspection must be configured");
        }
        this.jwt = jwt;
        this.trusted = trusted;
        this.opaque = opaque;
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return this::authenticate;
    }

    private Authentication authenticate(Authentication authentication) {
        Optional<JWT> parsed = parse(authentication);
        if (parsed.isEmpty()) {
            return require(opaque != null ? opaque : jwt, "is not a JWT").authenticate(authentication);
        }
        // With introspection only, JWT-shaped tokens of other issuers are introspected too, as before.
        AuthenticationManager manager = trusted.forIssuer(issuer(parsed.get())).orElse(jwt != null ? jwt : opaque);
        return require(manager, "is from an issuer the module does not trust").authenticate(authentication);
    }

    private static AuthenticationManager require(AuthenticationManager manager, String why) {
        if (manager == null) {
            throw new InvalidBearerTokenException("The access token " + why);
        }
        return manager;
    }

    private static String issuer(JWT token) {
        try {
            return token.getJWTClaimsSet().getIssuer();
        } catch (ParseException unreadable) {
            return null;
        }
    }

    private static Optional<JWT> parse(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JWTParser.parse(bearer.getToken()));
        } catch (ParseException notJwt) {
            return Optional.empty();
        }
    }
}
