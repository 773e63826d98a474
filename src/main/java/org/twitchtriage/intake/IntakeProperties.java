package org.twitchtriage.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of QuestionnaireResponse intake.
 *
 * @param fullValidation also run HAPI's full FHIR validator on every submission, after the compiled
 *     Questionnaire checks; thorough but milliseconds per response, so off by default
 */
@ConfigurationProperties(prefix = "intake")
public record IntakeProperties(@DefaultValue("false") boolean fullValidation) {}
