package org.twitchtriage.delivery.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.twitchtriage.fhir.FhirIds;

/**
 * Settings of the write-back to the EHR.
 *
 * @param baseUrl the EHR's FHIR base; none means delivery is off and results stay local
 * @param mode {@code auto}: as the EHR's CapabilityStatement says (transaction Bundles where it takes them,
 *     otherwise one request at a time); {@code transaction}: always one transaction Bundle per delivery;
 *     {@code individual}: always one request at a time
 * @param maxConcurrency deliveries in flight at once on this instance
 * @param pollInterval how often the dispatcher looks for due deliveries
 * @param connectTimeout time allowed to connect to the EHR
 * @param requestTimeout time allowed for one request to the EHR
 * @param requesterOrganization the Organization the orders name as their requester, which must exist in the
 *     EHR; {@code application.yml} sets it to {@code triage.requester-organization}
 * @param capabilitiesRefresh how long the EHR's CapabilityStatement, once read, is used before it is read again
 * @param document when the readable summary (a DocumentReference) is sent: {@code auto} when the EHR cannot take
 *     the QuestionnaireResponse, the Observation or the ServiceRequests; {@code always}; {@code never}
 * @param documentType the summary's type, {@code system|code}
 * @param documentCategory the summary's category, {@code system|code}
 */
@Validated
@ConfigurationProperties(prefix = "ehr")
public record EhrProperties(
        URI baseUrl,
        @NotNull @DefaultValue("auto") Mode mode,
        @Min(1) @Max(64) @DefaultValue("4") int maxConcurrency,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Auth auth,

        @Pattern(regexp = "Organization/" + FhirIds.ID_PATTERN)
        String requesterOrganization,

        @NotNull @DefaultValue("1h") Duration capabilitiesRefresh,
        @NotNull @DefaultValue("auto") DocumentPolicy document,

        @NotNull @DefaultValue(DEFAULT_DOCUMENT_TYPE) @Pattern(regexp = CODE)
        String documentType,

        @NotNull @DefaultValue(DEFAULT_DOCUMENT_CATEGORY) @Pattern(regexp = CODE)
        String documentCategory) {

    /** LOINC 34109-9 "Note": the generic clinical note, which EHRs file and show as one. */
    public static final String DEFAULT_DOCUMENT_TYPE = "http://loinc.org|34109-9";
    /** US Core's "Clinical Note" category, which EHRs list among the patient's notes. */
    public static final String DEFAULT_DOCUMENT_CATEGORY =
            "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category|clinical-note";

    static final String CODE = "[^|\\s]+\\|[^|\\s]+";

    public boolean enabled() {
        return baseUrl != null && !baseUrl.toString().isBlank();
    }

    public enum Mode {
        AUTO,
        TRANSACTION,
        INDIVIDUAL
    }

    /** When the readable summary is sent. */
    public enum DocumentPolicy {
        AUTO,
        ALWAYS,
        NEVER
    }

    /** A {@code system|code} setting as a Coding. */
    static Coding coding(String setting) {
        String[] parts = setting.split("\\|", 2);
        return new Coding(parts[0], parts[1], null);
    }

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
            @Min(1) @DefaultValue("50") int maxAttempts) {}

    /**
     * How requests to the EHR are authorized. Secrets come from the environment or from files outside the
     * repository, never from a committed configuration.
     *
     * @param type {@code none}, {@code bearer} (a static token), {@code basic} or {@code smart-backend}
     *     (SMART Backend Services: OAuth2 client credentials with a signed JWT client assertion)
     * @param token the bearer token; give it through the environment ({@code EHR_AUTH_TOKEN})
     * @param username for basic
     * @param password for basic; through the environment ({@code EHR_AUTH_PASSWORD})
     * @param clientId for smart-backend: the client id the EHR registered; it is the assertion's {@code iss}
     *     and {@code sub}
     * @param tokenEndpoint for smart-backend: the EHR's OAuth2 token endpoint; unset, it is read from
     *     {@code token_endpoint} of {@code {ehr.base-url}/.well-known/smart-configuration}
     * @param privateKeyFile for smart-backend: the signing key, a PEM file with an unencrypted PKCS#8 private
     *     key ({@code -----BEGIN PRIVATE KEY-----}) or a JSON file with a private JWK (or a JWK Set); mount it
     *     from a secret store, keep it out of the repository
     * @param keyId for smart-backend: the {@code kid} of the key as registered with the EHR; for a JWK file it
     *     defaults to the JWK's own {@code kid}
     * @param algorithm for smart-backend: {@code RS384} (an RSA key of at least 2048 bits) or {@code ES384}
     *     (an EC key on P-384)
     * @param scopes for smart-backend: the space-separated {@code system/} scopes asked for; by default writing
     *     and reading (for the conditional creates) the types a delivery sends
     * @param tokenRefreshMargin for smart-backend: an access token is renewed this long before it expires
     */
    public record Auth(
            @NotNull @DefaultValue("none") AuthType type,
            String token,
            String username,
            String password,
            String clientId,
            URI tokenEndpoint,
            Path privateKeyFile,
            String keyId,
            @NotNull @DefaultValue("RS384") SmartBackendAlgorithm algorithm,
            @NotNull @DefaultValue(DEFAULT_SCOPES) String scopes,
            @NotNull @DefaultValue("60s") Duration tokenRefreshMargin) {

        /**
         * Create and search (for the conditional creates) of every type a delivery may send, and reading the
         * requester Organization and the patients, which the module checks the EHR has.
         */
        public static final String DEFAULT_SCOPES = "system/Device.write system/QuestionnaireResponse.write"
                + " system/Observation.write system/ServiceRequest.write system/Communication.write"
                + " system/DocumentReference.write system/Provenance.write system/Device.read"
                + " system/QuestionnaireResponse.read system/Observation.read system/ServiceRequest.read"
                + " system/Communication.read system/DocumentReference.read system/Provenance.read"
                + " system/Organization.read system/Patient.read";
    }

    /** {@code smart-backend} binds to {@link #SMART_BACKEND}. */
    public enum AuthType {
        NONE,
        BEARER,
        BASIC,
        SMART_BACKEND
    }
}
