package org.twitchtriage.security.internal;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access settings beside Spring Security's own ({@code spring.security.oauth2.resourceserver.jwt.*} and
 * {@code ...opaquetoken.*}, which choose the authorization server whose tokens are accepted).
 *
 * @param operationsScope scope a token needs for the Actuator endpoints other than health and info
 * @param corsAllowedOrigins origins (e.g. {@code https://portal.example.org}) whose browser pages may call
 *                           {@code /fhir}; none by default
 * @param smart              what {@code /fhir/.well-known/smart-configuration} advertises
 * @param introspection      how answers of the introspection endpoint are used, when one is configured
 */
@Validated
@ConfigurationProperties(prefix = "security")
public record AccessProperties(
        @NotBlank @DefaultValue("operations") String operationsScope,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue Smart smart,
        @DefaultValue Introspection introspection) {

    /**
     * The authorization server's endpoints, when they cannot be discovered from the issuer's
     * {@code /.well-known/openid-configuration}.
     *
     * @param authorizationEndpoint the OAuth2 authorization endpoint
     * @param tokenEndpoint         the OAuth2 token endpoint
     */
    public record Smart(URI authorizationEndpoint, URI tokenEndpoint) {}

    /**
     * Opaque tokens checked at the introspection endpoint.
     *
     * @param cacheDuration how long an active answer is reused for the same token (never beyond its
     *                      {@code exp}); zero asks the endpoint on every request
     * @param audiences     accepted {@code aud} values of an answer; empty: not checked
     */
    public record Introspection(
            @DefaultValue("60s") Duration cacheDuration,
            @DefaultValue List<String> audiences) {

        public Introspection {
            if (cacheDuration == null || cacheDuration.isNegative()) {
                throw new IllegalArgumentException("security.introspection.cache-duration must be zero or more");
            }
            audiences = List.copyOf(audiences);
        }
    }
}
