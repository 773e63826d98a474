package org.twitchtriage.delivery;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the write-back to the EHR.
 *
 * @param baseUrl the EHR's FHIR base; none means delivery is off and results stay local
 * @param mode {@code transaction}: one transaction Bundle per submission; {@code individual}: conditional
 *     creates one by one, for EHRs without transactions
 * @param maxConcurrency deliveries in flight at once on this instance
 * @param pollInterval how often the dispatcher looks for due deliveries
 * @param connectTimeout time allowed to connect to the EHR
 * @param requestTimeout time allowed for one request to the EHR
 */
@Validated
@ConfigurationProperties(prefix = "ehr")
public record EhrProperties(
        URI baseUrl,
        @NotNull @DefaultValue("transaction") Mode mode,
        @Min(1) @Max(64) @DefaultValue("4") int maxConcurrency,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Auth auth) {

    public boolean enabled() {
        return baseUrl != null && !baseUrl.toString().isBlank();
    }

    public enum Mode { TRANSACTION, INDIVIDUAL }

    /**
     * @param initialInterval wait before the first retry
     * @param maxInterval longest wait between retries
     * @param multiplier growth of the wait from one retry to the next
     * @param maxAttempts attempts before a delivery is parked as failed
     */
    public record Retry(
            @NotNull @DefaultValue("2s") Duration initialInterval,
            @NotNull @DefaultValue("5m") Duration maxInterval,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @Min(1) @DefaultValue("50") int maxAttempts) {
    }

    /**
     * @param type {@code none}, {@code bearer} (a static token) or {@code basic}
     * @param token the bearer token; give it through the environment ({@code EHR_AUTH_TOKEN})
     * @param username for basic
     * @param password for basic; through the environment ({@code EHR_AUTH_PASSWORD})
     */
    public record Auth(
            @NotNull @DefaultValue("none") AuthType type,
            String token,
            String username,
            String password) {
    }

    public enum AuthType { NONE, BEARER, BASIC }
}
