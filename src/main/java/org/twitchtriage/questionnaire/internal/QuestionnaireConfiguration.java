package org.twitchtriage.questionnaire.internal;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.questionnaire.ConformanceContentLoader;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.questionnaire.QuestionnaireProperties;

/** Loads the published content at start-up and serves it read-only. */
@Configuration(proxyBeanMethods = false)
public class QuestionnaireConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QuestionnaireConfiguration.class);

    @Bean
    ConformanceRegistry conformanceRegistry(FhirContext fhirContext, QuestionnaireProperties properties) {
        ConformanceRegistry registry =
                new ConformanceRegistry(new ConformanceContentLoader(fhirContext).load(properties.contentLocations()));
        log.info("Published {} definitional resources", registry.all().size());
        return registry;
    }

    @Bean
    QuestionnaireCatalog questionnaireCatalog(ConformanceRegistry registry) {
        QuestionnaireCatalog catalog = new QuestionnaireCatalog(registry);
        catalog.all().forEach(q -> log.info("Accepting responses to Questionnaire {}", q.canonical()));
        return catalog;
    }

    /** Built on first use: only full validation and the content checks need it. */
    @Bean
    @Lazy
    ProfileValidator profileValidator(FhirContext fhirContext, ConformanceRegistry registry) {
        return new ProfileValidator(fhirContext, registry);
    }

    @Bean
    ConformanceResourceProvider<Questionnaire> questionnaireProvider(ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(Questionnaire.class, registry, paging);
    }

    @Bean
    ConformanceResourceProvider<CodeSystem> codeSystemProvider(ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(CodeSystem.class, registry, paging);
    }

    @Bean
    ConformanceResourceProvider<ValueSet> valueSetProvider(ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(ValueSet.class, registry, paging);
    }

    @Bean
    ConformanceResourceProvider<PlanDefinition> planDefinitionProvider(ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(PlanDefinition.class, registry, paging);
    }

    @Bean
    ConformanceResourceProvider<ActivityDefinition> activityDefinitionProvider(
            ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(ActivityDefinition.class, registry, paging);
    }

    @Bean
    ConformanceResourceProvider<StructureDefinition> structureDefinitionProvider(
            ConformanceRegistry registry, Paging paging) {
        return new ConformanceResourceProvider<>(StructureDefinition.class, registry, paging);
    }
}
