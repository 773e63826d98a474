/** EHR write-back: the transactional outbox, its dispatcher, delivery status and re-drive. */
@ApplicationModule(
        displayName = "Delivery",
        allowedDependencies = {"fhir", "storage", "intake", "results", "triage"})
package org.twitchtriage.delivery;

import org.springframework.modulith.ApplicationModule;
