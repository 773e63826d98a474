package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.server.IResourceProvider;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.fhir.ErrorTranslation;
import org.twitchtriage.fhir.FhirInterceptor;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.fhir.PlainProvider;

/** The FHIR endpoint: one FhirContext, the RestfulServer on {@code /fhir/*} and its request filters. */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

    static final String FHIR_PATH = "/fhir/*";

    @Bean
    FhirContext fhirContext() {
        return newContext();
    }

    /** A FHIR context with the module's options, as the application's bean has them (tests and benchmarks too). */
    public static FhirContext newContext() {
        FhirContext context = FhirContext.forR4();
        // Unknown elements and malformed values are errors, not silently dropped data.
        context.setParserErrorHandler(new StrictErrorHandler());
        // A revision's Provenance names the versions it wrote and the ones they replaced.
        context.getParserOptions()
                .setDontStripVersionsFromReferencesAtPaths("Provenance.target", "Provenance.entity.what")
                // The module never puts a resource without an id in a reference to have it contained: encoding need
                // not walk every reference of every resource to look for one.
                .setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    @Bean
    Paging paging(FhirServerProperties properties) {
        return new Paging(properties);
    }

    @Bean
    ServletRegistrationBean<FhirRestfulServer> fhirServlet(
            FhirContext fhirContext,
            List<IResourceProvider> providers,
            List<PlainProvider> operations,
            ObjectProvider<FhirInterceptor> moduleInterceptors,
            ObjectProvider<ErrorTranslation<?>> errorTranslations,
            FhirServerProperties properties,
            ObjectProvider<BuildProperties> build,
            ErrorResponses errors) {
        List<Object> interceptors = new ArrayList<>(List.of(
                new RequestMediaTypeInterceptor(errors),
                new InternalErrorInterceptor(errorTranslations.orderedStream().toList()),
                new EncodableOutcomeInterceptor()));
        moduleInterceptors.orderedStream().forEach(interceptors::add);
        interceptors.add(new StoredJsonAnswer());
        String version = build.getIfAvailable() == null
                ? "development"
                : build.getIfAvailable().getVersion();
        FhirRestfulServer server =
                new FhirRestfulServer(fhirContext, providers, operations, interceptors, properties, version);
        ServletRegistrationBean<FhirRestfulServer> registration = new ServletRegistrationBean<>(server, FHIR_PATH);
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    ErrorResponses errorResponses(FhirContext fhirContext) {
        return new ErrorResponses(fhirContext);
    }

    /*
     * The filters below run after any security filter chain (Spring Security's sits at order -100), so the
     * rate limit can tell authenticated clients apart, and in this order: a throttled client is answered
     * before its body is read; the body is capped, then screened, before HAPI parses it.
     */

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitProperties settings, ErrorResponses errors) {
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(
                new RateLimiter(settings, Ticker.systemTicker()), RateLimitFilter::defaultClientKey, errors));
        registration.addUrlPatterns(FHIR_PATH);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 2);
        registration.setEnabled(settings.enabled());
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
            ErrorResponses errors, FhirServerProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(errors, properties.maxRequestSize().toBytes()));
        registration.addUrlPatterns(FHIR_PATH);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyFilter> requestBodyFilter(
            ErrorResponses errors, FhirServerProperties properties) {
        FilterRegistrationBean<RequestBodyFilter> registration = new FilterRegistrationBean<>(new RequestBodyFilter(
                errors, new BodyStructureCheck(properties.maxNestingDepth(), properties.maxStringLength())));
        registration.addUrlPatterns(FHIR_PATH);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }
}
