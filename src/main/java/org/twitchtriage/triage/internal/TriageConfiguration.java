package org.twitchtriage.triage.internal;

import ca.uhn.fhir.context.FhirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageRevisions;
import org.twitchtriage.triage.TriageRules;

/** Compiles the published rules at start-up; a malformed rules artifact stops start-up. */
@Configuration(proxyBeanMethods = false)
public class TriageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TriageConfiguration.class);

    @Bean
    TriageEngine triageEngine(FhirContext fhirContext) {
        return new TriageEngine(fhirContext);
    }

    @Bean
    TriageRules triageRules(ConformanceRegistry registry, TriageEngine engine) {
        TriageRules rules = new TriageRules(registry, engine);
        rules.all().forEach(r -> log.info("Triaging responses to {} with {}", r.questionnaireUrl(), r.canonical()));
        return rules;
    }

    @Bean
    TriageRevisions triageRevisions(TriageProperties properties) {
        return new TriageRevisions(properties);
    }

    @Bean
    TriageDocuments triageDocuments(TriageProperties properties, ObjectProvider<BuildProperties> build) {
        BuildProperties info = build.getIfAvailable();
        return new TriageDocuments(properties, info == null ? "development" : info.getVersion());
    }
}
