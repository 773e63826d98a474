package org.twitchtriage.security.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
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
 * @param trustedIssuers     authorization servers besides the configured one whose JWTs are accepted, such as
 *                           an EHR's or a portal's that launches the form with its own FHIR server as {@code iss}
 * @param launch             what the patient launch page ({@code /launch}) asks the authorization server for
 */
@Validated
@ConfigurationProperties(prefix = "security")
public record AccessProperties(
        @NotBlank @DefaultValue("operations") String operationsScope,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue Smart smart,
        @DefaultValue Introspection introspection,
        @DefaultValue List<@Valid TrustedIssuer> trustedIssuers,
        @DefaultValue @Valid Launch launch) {

    public AccessProperties {
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        trustedIssuers = List.copyOf(trustedIssuers);
    }

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

    /**
     * An authorization server whose JWTs are accepted besides the primary one
     * ({@code spring.security.oauth2.resourceserver.jwt.*}). A token goes to the issuer its {@code iss} claim
     * names, and is checked against that issuer's keys and audiences only.
     *
     * @param issuer        the {@code iss} value of its tokens, exactly
     * @param jwkSetUri     where its signing keys are published
     * @param audiences     accepted {@code aud} values (at least one: a token for another resource server is
     *                      refused); usually this module's FHIR base URL, or the EHR's when the EHR's
     *                      authorization server names only the EHR
     * @param fhirBase      the FHIR server it issues tokens for, which may launch the patient form as
     *                      {@code iss}; none: its tokens are accepted, but {@code /launch} refuses launches from it
     * @param jwsAlgorithms accepted signature algorithms
     */
    public record TrustedIssuer(
            @NotBlank String issuer,
            @NotNull URI jwkSetUri,
            @NotEmpty List<@NotBlank String> audiences,
            URI fhirBase,
            @DefaultValue("RS256") List<String> jwsAlgorithms) {

        public TrustedIssuer {
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            jwsAlgorithms =
                    jwsAlgorithms == null || jwsAlgorithms.isEmpty() ? List.of("RS256") : List.copyOf(jwsAlgorithms);
        }
    }

    /**
     * The SMART App Launch of the patient form: a public client with PKCE, so nothing here is secret.
     *
     * @param clientId    the form's client id at the authorization server
     * @param scopes      the scopes asked for, space-separated; the page adds {@code launch} to an EHR launch and
     *                    {@code launch/patient} to a standalone launch
     * @param redirectUri where the authorization server sends the browser back; empty: the form page
     *                    ({@code {module}/}), as the browser addresses the module
     */
    public record Launch(
            @NotBlank @DefaultValue("twitch-triage-form") String clientId,

            @NotBlank
            @DefaultValue("openid fhirUser patient/Questionnaire.rs patient/QuestionnaireResponse.cru"
                    + " patient/Observation.rs patient/Communication.rs patient/CodeSystem.rs")
            String scopes,

            @DefaultValue("") String redirectUri) {

        public Launch {
            redirectUri = redirectUri == null ? "" : redirectUri.strip();
        }
    }
}
