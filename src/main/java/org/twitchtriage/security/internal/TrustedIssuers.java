package org.twitchtriage.security.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.util.StringUtils;

/**
 * The authorization servers, besides the primary one, whose JWTs the module accepts
 * ({@code security.trusted-issuers}): typically a patient portal's, which issues tokens for the EHR's FHIR
 * server and launches the form with that server as {@code iss}. Each issuer gets a decoder of its own, with its
 * own keys, issuer and audience checks, so a token is never checked against another issuer's keys; which one
 * checks a token is chosen by its {@code iss} claim ({@link BearerTokenRouting}), as Spring Security's
 * {@code JwtIssuerAuthenticationManagerResolver} does.
 */
final class TrustedIssuers {

    private static final String PREFIX = "security.trusted-issuers";

    private final Map<String, AuthenticationManager> managers;

    TrustedIssuers(Map<String, AuthenticationManager> managers) {
        this.managers = Map.copyOf(managers);
    }

    static TrustedIssuers none() {
        return new TrustedIssuers(Map.of());
    }

    /** Whether any trusted issuer is configured; alone, that is secured mode. */
    static boolean configured(Environment environment) {
        return StringUtils.hasText(environment.getProperty(PREFIX + "[0].issuer"))
                || StringUtils.hasText(environment.getProperty(PREFIX + "[0].jwk-set-uri"));
    }

    static TrustedIssuers of(List<AccessProperties.TrustedIssuer> issuers, JwtAuthenticationConverter converter) {
        Map<String, AuthenticationManager> managers = new LinkedHashMap<>();
        for (AccessProperties.TrustedIssuer issuer : issuers) {
            if (managers.put(issuer.issuer(), manager(issuer, converter)) != null) {
                throw new IllegalStateException("security.trusted-issuers names the issuer " + issuer.issuer()
                        + " twice; list each issuer once, with all its audiences");
            }
        }
        return new TrustedIssuers(managers);
    }

    /** The manager that checks tokens from this issuer; empty when it is not a trusted issuer. */
    Optional<AuthenticationManager> forIssuer(String issuer) {
        return issuer == null ? Optional.empty() : Optional.ofNullable(managers.get(issuer));
    }

    boolean isEmpty() {
        return managers.isEmpty();
    }

    private static AuthenticationManager manager(
            AccessProperties.TrustedIssuer issuer, JwtAuthenticationConverter converter) {
        NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder =
                NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri().toString());
        for (String algorithm : issuer.jwsAlgorithms()) {
            SignatureAlgorithm known = SignatureAlgorithm.from(algorithm);
            if (known == null) {
                throw new IllegalStateException("security.trusted-issuers: unknown signature algorithm " + algorithm
                        + " for " + issuer.issuer());
            }
            builder.jwsAlgorithm(known);
        }
        NimbusJwtDecoder decoder = builder.build();
        List<String> audiences = issuer.audiences();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer.issuer()),
                new JwtClaimValidator<List<String>>(
                        JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(audiences::contains))));
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        if (converter != null) {
            provider.setJwtAuthenticationConverter(converter);
        }
        return new ProviderManager(provider);
    }
}
