package org.twitchtriage.audit.internal;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.twitchtriage.audit.AuditProperties;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.security.Callers;

/**
 * The audit trail: its store, what feeds it (the FHIR interceptor and the deliveries to the EHR) and the AuditEvent
 * read and search.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    AuditStore auditStore(
            AuditEventRepository repository,
            EntityManager entityManager,
            NamedParameterJdbcTemplate jdbc,
            FhirContext fhirContext,
            PlatformTransactionManager transactions) {
        return new AuditStore(repository, entityManager, jdbc, fhirContext, transactions);
    }

    @Bean
    AuditTrail auditTrail(AuditStore store, Clock clock, MeterRegistry registry, AuditProperties properties) {
        return new AuditTrail(store, new AuditEvents(properties.observerDevice()), clock, registry);
    }

    @Bean
    AuditInterceptor auditInterceptor(AuditTrail trail, Callers callers) {
        return new AuditInterceptor(trail, callers);
    }

    @Bean
    SubmissionAudit submissionAudit(AuditTrail trail, Callers callers) {
        return new SubmissionAudit(trail, callers);
    }

    @Bean
    DeliveryAudit deliveryAudit(AuditTrail trail) {
        return new DeliveryAudit(trail);
    }

    @Bean
    AuditEventProvider auditEventProvider(AuditStore store, Paging paging) {
        return new AuditEventProvider(store, paging);
    }
}
