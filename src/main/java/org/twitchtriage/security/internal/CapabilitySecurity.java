package org.twitchtriage.security.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.twitchtriage.fhir.FhirInterceptor;
import org.twitchtriage.security.Callers;

/** Fills the CapabilityStatement's {@code rest.security}: SMART on FHIR, its endpoints, CORS and the scopes. */
@Interceptor
public final class CapabilitySecurity implements FhirInterceptor {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    private static final String SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    private final Callers callers;
    private final AuthorizationServer server;
    private final boolean cors;
    private final List<String> scopes;

    CapabilitySecurity(Callers callers, AuthorizationServer server, boolean cors, List<String> scopes) {
        this.callers = callers;
        this.server = server;
        this.cors = cors;
        this.scopes = List.copyOf(scopes);
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance statement) {
        if (!(statement instanceof CapabilityStatement capability)) {
            return;
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : capability.getRest()) {
            CapabilityStatementRestSecurityComponent security = rest.getSecurity();
            security.setCors(cors);
            if (!callers.secured()) {
                security.setDescription("Development mode: no authorization server is configured, every request"
                        + " is allowed, and the server answers on loopback only.");
                continue;
            }
            security.getService().clear();
            CodeableConcept service = new CodeableConcept().setText("OAuth2 bearer tokens (SMART on FHIR)");
            service.addCoding()
                    .setSystem(SERVICE_SYSTEM)
                    .setCode("SMART-on-FHIR")
                    .setDisplay("SMART-on-FHIR");
            security.addService(service);
            security.getExtension().removeIf(extension -> OAUTH_URIS.equals(extension.getUrl()));
            Extension uris = security.addExtension().setUrl(OAUTH_URIS);
            server.tokenEndpoint().ifPresent(uri -> uris.addExtension("token", new UriType(uri)));
            server.authorizationEndpoint().ifPresent(uri -> uris.addExtension("authorize", new UriType(uri)));
            security.setDescription(
                    "Bearer tokens from " + server.issuer().orElse("the configured authorization server")
                            + " are required, except for the CapabilityStatement and published content"
                            + " (Questionnaire, PlanDefinition, ActivityDefinition, CodeSystem, ValueSet,"
                            + " StructureDefinition)."
                            + " SMART scopes, v1 or v2, apply to every interaction; patient/ scopes reach only the"
                            + " patient"
                            + " in the token's context. Discovery: .well-known/smart-configuration. Scopes understood: "
                            + String.join(" ", scopes));
        }
    }
}
