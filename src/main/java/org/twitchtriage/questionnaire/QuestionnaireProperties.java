package org.twitchtriage.questionnaire;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the published content.
 *
 * @param contentLocations Spring resource patterns of the FHIR JSON files to publish (Questionnaires,
 *     CodeSystems, ValueSets, StructureDefinitions), read in order and laid over each other (a later
 *     location can supersede a version, never change one); the defaults are the files packaged in the jar
 */
@ConfigurationProperties(prefix = "questionnaire")
public record QuestionnaireProperties(
        @DefaultValue({"classpath*:fhir/questionnaires/*.json", "classpath*:fhir/profiles/*.json"})
        List<String> contentLocations) {}
