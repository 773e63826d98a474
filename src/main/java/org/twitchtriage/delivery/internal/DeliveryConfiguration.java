package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.delivery.Deliveries;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.triage.SummaryDocuments;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageRules;

/**
 * The outbox always records deliveries; the dispatcher runs only when {@code ehr.base-url} is set. The
 * delivery metrics and the {@code ehr} health component exist either way.
 */
@Configuration(proxyBeanMethods = false)
public class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

    @Bean
    Deliveries deliveries(
            DeliveryRepository repository, EhrProperties properties, Clock clock, ApplicationEventPublisher events) {
        if (!properties.enabled()) {
            log.info("EHR delivery is off (no ehr.base-url): results stay local and deliveries stay pending");
        }
        return new Deliveries(repository, properties.enabled(), clock, events);
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry, DeliveryRepository repository, Clock clock) {
        return new DeliveryMetrics(registry, repository, clock);
    }

    /** The health component {@code ehr}, named after this bean. */
    @Bean
    EhrHealthIndicator ehrHealthIndicator(
            EhrProperties properties,
            DeliveryMetrics metrics,
            Clock clock,
            ObjectProvider<RequesterCheck> requester,
            ObjectProvider<CapabilitiesCheck> capabilities) {
        return new EhrHealthIndicator(
                properties, metrics, clock, requester.getIfAvailable(), capabilities.getIfAvailable());
    }

    @Bean
    @ConditionalOnProperty(prefix = "ehr", name = "base-url")
    EhrClient ehrClient(EhrProperties properties, FhirContext fhirContext) {
        return new EhrClient(properties, EhrAuthorization.of(properties), new EhrBundles(fhirContext), fhirContext);
    }

    @Bean
    @ConditionalOnProperty(prefix = "ehr", name = "base-url")
    RequesterCheck requesterCheck(EhrClient client, EhrProperties properties, Clock clock) {
        return new RequesterCheck(client, properties.requesterOrganization(), clock);
    }

    @Bean
    @ConditionalOnProperty(prefix = "ehr", name = "base-url")
    CapabilitiesCheck capabilitiesCheck(EhrClient client, EhrProperties properties, Clock clock) {
        return new CapabilitiesCheck(client, properties, clock);
    }

    /** The readable summary of a submission, built by triage from its rules' wording. */
    @Bean
    SummaryDocuments summaryDocuments(TriageRules rules, TriageProperties triage) {
        return new SummaryDocuments(rules, triage);
    }

    @Bean
    @ConditionalOnProperty(prefix = "ehr", name = "base-url")
    Dispatcher dispatcher(
            DeliveryRepository repository,
            ResponseIntake intake,
            ResultsStore results,
            EhrProperties properties,
            EhrClient client,
            CapabilitiesCheck capabilities,
            SummaryDocuments summaries,
            TransactionTemplate transaction,
            Clock clock,
            DeliveryMetrics metrics,
            ApplicationEventPublisher events,
            FhirContext fhirContext) {
        DeliveryWork work = new DeliveryWork(
                repository,
                intake,
                results,
                client,
                capabilities,
                new Summaries(summaries, properties),
                properties,
                transaction,
                clock,
                metrics,
                events,
                fhirContext);
        return new Dispatcher(repository, work, capabilities, transaction, clock, properties);
    }
}
