/**
 * CDS Hooks: the EHR asks, as a patient's chart opens ({@code patient-view}), whether the patient has a recent
 * triage result, and shows the card this module answers with; the EHR's signed JWT is verified on every call, and
 * clinicians' feedback on the cards goes to the review module's governance figures.
 */
@ApplicationModule(
        displayName = "CDS Hooks",
        allowedDependencies = {"fhir", "storage", "security", "audit", "questionnaire", "triage", "results", "review"})
package org.twitchtriage.cdshooks;

import org.springframework.modulith.ApplicationModule;
