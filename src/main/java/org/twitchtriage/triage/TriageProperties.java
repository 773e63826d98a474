package org.twitchtriage.triage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.twitchtriage.fhir.FhirIds;

/**
 * Settings of the triage outputs.
 *
 * @param requesterOrganization the Organization that requests the orders and on whose behalf the module
 *     acts, as {@code Organization/{id}}; it must exist in the EHR the results are written to
 * @param intent {@code order} (default) places the ServiceRequests; {@code proposal} leaves them for a
 *     clinician to sign off. Any other value stops the start with an error that lists these two
 * @param deviceIdentifier the identifier value of this module's Device resource
 */
@Validated
@ConfigurationProperties(prefix = "triage")
public record TriageProperties(
        @NotBlank @Pattern(regexp = "Organization/" + FhirIds.ID_PATTERN) @DefaultValue("Organization/triage-site")
        String requesterOrganization,

        @DefaultValue("order") Intent intent,

        @NotBlank @DefaultValue("twitch-triage") String deviceIdentifier) {

    /** The intent of the ServiceRequests a triage writes, as FHIR codes it. */
    public enum Intent {
        /** Placed at once: the EHR receives orders. */
        ORDER,
        /** Proposed: a clinician approves them into orders. */
        PROPOSAL;

        /** The code in {@code ServiceRequest.intent} and in the settings. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
