package org.twitchtriage.security.internal;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access settings beside Spring Security's own ({@code spring.security.oauth2.resourceserver.jwt.*}, which
 * choose the authorization server whose tokens are accepted).
 *
 * @param operationsScope scope a token needs for the Actuator endpoints other than health and info
 * @param corsAllowedOrigins origins (e.g. {@code https://portal.example.org}) whose browser pages may call
 *                           {@code /fhir}; none by default
 * @param smart              what {@code /fhir/.well-known/smart-configuration} advertises
 */
@Validated
@ConfigurationProperties(prefix = "security")
public record AccessProperties(
        @NotBlank @DefaultValue("operations") String operationsScope,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue Smart smart) {

    /**
     * The authorization server's endpoints, when they cannot be discovered from the issuer's
     * {@code /.well-known/openid-configuration}.
     *
     * @param authorizationEndpoint the OAuth2 authorization endpoint
     * @param tokenEndpoint         the OAuth2 token endpoint
     */
    public record Smart(URI authorizationEndpoint, URI tokenEndpoint) {}
}
