/** Published definitional content (Questionnaire, CodeSystems, ValueSets, profiles) and the compiled answer checks. */
@ApplicationModule(
        displayName = "Questionnaire",
        allowedDependencies = {"fhir"})
package org.twitchtriage.questionnaire;

import org.springframework.modulith.ApplicationModule;
