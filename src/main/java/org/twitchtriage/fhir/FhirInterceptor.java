package org.twitchtriage.fhir;

/**
 * Marks a bean as a HAPI interceptor of the FHIR endpoint (an object with {@code @Hook} methods). The
 * RestfulServer registers every such bean, in {@link org.springframework.core.annotation.Order} order,
 * after its own request-format and error interceptors.
 */
public interface FhirInterceptor {}
