package org.twitchtriage.intake.internal;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.intake.IntakeProperties;
import org.twitchtriage.intake.ResponseTriage;
import org.twitchtriage.intake.SubmissionValidator;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageRules;

@Configuration(proxyBeanMethods = false)
public class IntakeConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SubmissionValidator submissionValidator(
            QuestionnaireCatalog catalog,
            IntakeProperties properties,
            ObjectProvider<ProfileValidator> profileValidator) {
        return new SubmissionValidator(catalog, properties.fullValidation(), profileValidator::getObject);
    }

    @Bean
    ResponseTriage responseTriage(
            SubmissionValidator validator,
            TriageRules rules,
            TriageEngine engine,
            TriageDocuments documents,
            Clock clock) {
        return new ResponseTriage(validator, rules, engine, documents, clock);
    }
}
