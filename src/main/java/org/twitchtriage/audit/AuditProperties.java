package org.twitchtriage.audit;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the audit trail.
 *
 * @param observerDevice the id of the Device every AuditEvent names as its observer ({@code source.observer}):
 *     the module's own Device, so by default {@code triage.device-identifier}
 */
@Validated
@ConfigurationProperties(prefix = "audit")
public record AuditProperties(
        @NotBlank @DefaultValue("twitch-triage") String observerDevice) {}
