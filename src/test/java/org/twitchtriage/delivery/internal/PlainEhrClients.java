package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.time.Duration;

/** Clients of a test EHR with the default settings and no authorization. */
final class PlainEhrClients {

    private PlainEhrClients() {}

    static EhrClient of(int port) {
        return of(properties(port, EhrProperties.Mode.TRANSACTION));
    }

    static EhrClient of(EhrProperties properties) {
        FhirContext fhir = FhirContext.forR4Cached();
        return new EhrClient(properties, EhrAuthorization.of(properties), new EhrBundles(fhir), fhir);
    }

    /** The default settings, in the given mode, with retries after 2 s growing to 5 min. */
    static EhrProperties properties(int port, EhrProperties.Mode mode) {
        return new EhrProperties(
                URI.create("http://localhost:" + port + "/fhir"),
                mode,
                1,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new EhrProperties.Retry(Duration.ofSeconds(2), Duration.ofMinutes(5), 2.0, 50),
                new EhrProperties.Auth(
                        EhrProperties.AuthType.NONE,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        SmartBackendAlgorithm.RS384,
                        EhrProperties.Auth.DEFAULT_SCOPES,
                        Duration.ofSeconds(60)),
                "Organization/triage-site",
                Duration.ofHours(1),
                EhrProperties.DocumentPolicy.AUTO,
                EhrProperties.DEFAULT_DOCUMENT_TYPE,
                EhrProperties.DEFAULT_DOCUMENT_CATEGORY);
    }
}
