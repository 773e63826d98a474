package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.twitchtriage.fhir.PlainProvider;

/** HAPI's RestfulServer assembled from the provider and interceptor beans of the modules. */
public class FhirRestfulServer extends RestfulServer {

    private static final long serialVersionUID = 1L;

    FhirRestfulServer(
            FhirContext fhirContext,
            List<IResourceProvider> providers,
            List<PlainProvider> operations,
            List<Object> interceptors,
            FhirServerProperties properties,
            String version) {
        super(fhirContext);
        setResourceProviders(providers);
        registerProviders(List.copyOf(operations));
        interceptors.forEach(this::registerInterceptor);
        setDefaultResponseEncoding(EncodingEnum.JSON);
        // An inflated body would escape the size limit and the body checks, which see the bytes as sent.
        setUncompressIncomingContents(false);
        setDefaultPageSize(properties.defaultPageSize());
        setMaximumPageSize(properties.maxPageSize());
        setServerName("twitch-triage");
        setServerVersion(version);
        setImplementationDescription(
                "Muscle-twitch checklist: published Questionnaire and validated" + " QuestionnaireResponse intake");
    }

    /** Every answer goes out when it is complete, not a few bytes at each of HAPI's flushes. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        super.service(request, new FlushAtEndResponse(response));
    }
}
