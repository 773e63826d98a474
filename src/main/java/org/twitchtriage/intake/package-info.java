/** Accepting QuestionnaireResponses: validation, idempotent storage, read and search. */
@ApplicationModule(
        displayName = "Intake",
        allowedDependencies = {"fhir", "storage", "questionnaire", "triage", "results"})
package org.twitchtriage.intake;

import org.springframework.modulith.ApplicationModule;
