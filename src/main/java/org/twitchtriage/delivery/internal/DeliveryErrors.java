package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.delivery.Deliveries;
import org.twitchtriage.fhir.ErrorTranslation;

/** How delivery's refusals read to FHIR clients; the FHIR server's error interceptor applies them. */
@Configuration(proxyBeanMethods = false)
public class DeliveryErrors {

    /** 412: the re-drive's precondition, a failed delivery, does not hold. */
    @Bean
    ErrorTranslation<Deliveries.NotFailedException> notFailed() {
        return ErrorTranslation.of(
                Deliveries.NotFailedException.class, e -> new PreconditionFailedException(e.getMessage()));
    }
}
