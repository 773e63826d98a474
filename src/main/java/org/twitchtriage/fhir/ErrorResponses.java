package org.twitchtriage.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Writes an error OperationOutcome straight to the servlet response, for the filters and security handlers
 * that answer before HAPI sees the request: XML when the client asks for it ({@code _format} or Accept), JSON
 * otherwise.
 */
public final class ErrorResponses {

    private final FhirContext fhirContext;

    public ErrorResponses(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    public void send(
            HttpServletRequest request, HttpServletResponse response, int status, IssueType type, String diagnostics)
            throws IOException {
        OperationOutcome outcome = OperationOutcomes.error(type, diagnostics);
        boolean xml = wantsXml(request);
        String body = xml
                ? fhirContext.newXmlParser().encodeResourceToString(outcome)
                : fhirContext.newJsonParser().encodeResourceToString(outcome);
        response.setStatus(status);
        response.setContentType((xml ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW) + ";charset=UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    static boolean wantsXml(HttpServletRequest request) {
        String query = request.getQueryString();
        String format = query == null || !query.contains(Constants.PARAM_FORMAT + "=")
                ? null
                : query.substring(query.indexOf(Constants.PARAM_FORMAT + "="));
        if (format != null) {
            return format.contains("xml");
        }
        String accept = request.getHeader(Constants.HEADER_ACCEPT);
        return accept != null && accept.contains("xml") && !accept.contains("json");
    }
}
