package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Makes every error OperationOutcome writable as XML. Parser messages can quote the request, and a character
 * XML cannot carry (a control character, say) would break the response halfway through writing it; such
 * characters become U+FFFD.
 */
@Interceptor
public final class EncodableOutcomeInterceptor {

    @Hook(Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME)
    public void replaceUnencodableCharacters(IBaseOperationOutcome outcome) {
        if (outcome instanceof OperationOutcome r4) {
            r4.getIssue().forEach(issue -> {
                if (issue.hasDiagnostics()) {
                    issue.setDiagnostics(XmlCharacters.replaceForbidden(issue.getDiagnostics()));
                }
            });
        }
    }
}
