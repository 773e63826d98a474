package org.twitchtriage.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Writes the 401 and 403 answers given before a request reaches the FHIR server, as OperationOutcomes. */
final class Problems {

    private final FhirContext fhirContext;

    Problems(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    void write(HttpServletResponse response, int status, IssueType type, String diagnostics) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        byte[] body = fhirContext.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
