package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.time.Duration;

/** Clients of a test EHR with the default settings and no authorization. */
final class PlainEhrClients {

    private PlainEhrClients() {}

    static EhrClient of(int port) {
        EhrProperties properties = new EhrProperties(
                URI.create("http://localhost:" + port + "/fhir"),
                EhrProperties.Mode.TRANSACTION,
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
        FhirContext fhir = FhirContext.forR4Cached();
        return new EhrClient(properties, EhrAuthorization.of(properties), new EhrBundles(fhir), fhir);
    }
}
