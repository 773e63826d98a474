package org.twitchtriage.fhir.internal;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client rate limit on {@code /fhir}: a token bucket per client, held in this instance's memory.
 *
 * @param enabled whether requests are limited at all
 * @param requestsPerSecond sustained requests per second one client may send
 * @param burst requests one client may send at once after being idle (the bucket's size)
 */
@Validated
@ConfigurationProperties(prefix = "fhir.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,

        @DecimalMin(value = "0", inclusive = false) @DefaultValue("50")
        double requestsPerSecond,

        @Min(1) @DefaultValue("100") int burst) {}
