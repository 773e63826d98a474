package org.twitchtriage.cdshooks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the CDS Hooks service.
 *
 * @param window how far back a triage result still makes a card (by the date the patient answered)
 * @param baseUrl the module's public base URL, e.g. {@code https://triage.example.org}: the cards' links start
 *     with it and the EHR's JWTs must name {@code {base-url}/cds-services/{id}} as their audience. Required when
 *     trusted issuers are configured; without them (development) the links follow the request's own address
 * @param trustedIssuers the EHRs whose JWTs are accepted, each with the JWK set its keys are read from
 */
@Validated
@ConfigurationProperties(prefix = "cds-hooks")
public record CdsHooksProperties(
        @NotNull @DefaultValue("90d") Duration window,
        URI baseUrl,
        @Valid @DefaultValue List<TrustedIssuer> trustedIssuers) {

    /**
     * An EHR whose JWTs are accepted.
     *
     * @param issuer the JWTs' {@code iss}, exactly
     * @param jwkSetUrl where its public keys are published (a JWK Set); the key is chosen by the JWT's {@code kid}
     */
    public record TrustedIssuer(
            @NotBlank String issuer, @NotNull URI jwkSetUrl) {}

    public CdsHooksProperties {
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
    }
}
