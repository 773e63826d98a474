/**
 * The resources a triage writes (Observation, ServiceRequest, Communication, Provenance, Device) and what clinicians
 * add to them (review Tasks, approved orders): storage, read and search.
 */
@ApplicationModule(
        displayName = "Results",
        allowedDependencies = {"fhir", "storage", "triage"})
package org.twitchtriage.results;

import org.springframework.modulith.ApplicationModule;
