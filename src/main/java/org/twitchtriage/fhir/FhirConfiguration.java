package org.twitchtriage.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR endpoint: one FhirContext, the RestfulServer on {@code /fhir/*} and its request filter. */
@Configuration(proxyBeanMethods = false)
class FhirConfiguration {

    static final String FHIR_PATH = "/fhir/*";

    @Bean
    FhirContext fhirContext() {
        FhirContext context = FhirContext.forR4();
        // Unknown elements and malformed values are errors, not silently dropped data.
        context.setParserErrorHandler(new StrictErrorHandler());
        return context;
    }

    @Bean
    Paging paging(FhirServerProperties properties) {
        return new Paging(properties);
    }

    @Bean
    ServletRegistrationBean<FhirRestfulServer> fhirServlet(FhirContext fhirContext, List<IResourceProvider> providers,
            List<PlainProvider> operations, ObjectProvider<FhirInterceptor> moduleInterceptors,
            FhirServerProperties properties, ObjectProvider<BuildProperties> build) {
        List<Object> interceptors = new ArrayList<>(
                List.of(new RequestMediaTypeInterceptor(), new InternalErrorInterceptor()));
        moduleInterceptors.orderedStream().forEach(interceptors::add);
        String version = build.getIfAvailable() == null ? "development" : build.getIfAvailable().getVersion();
        FhirRestfulServer server = new FhirRestfulServer(fhirContext, providers, operations, interceptors, properties,
                version);
        ServletRegistrationBean<FhirRestfulServer> registration = new ServletRegistrationBean<>(server, FHIR_PATH);
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(FhirContext fhirContext,
            FhirServerProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(fhirContext, properties.maxRequestSize().toBytes()));
        registration.addUrlPatterns(FHIR_PATH);
        return registration;
    }
}
