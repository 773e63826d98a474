/** Triage: rules read from a PlanDefinition, evaluated over a QuestionnaireResponse into level, orders and guidance. */
@ApplicationModule(
        displayName = "Triage",
        allowedDependencies = {"fhir", "questionnaire"})
package org.twitchtriage.triage;

import org.springframework.modulith.ApplicationModule;
