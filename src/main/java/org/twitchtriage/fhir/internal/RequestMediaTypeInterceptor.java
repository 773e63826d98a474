package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * Rejects request bodies that are not FHIR JSON or XML with 415, before anything is parsed.
 * Form-encoded bodies stay allowed: HAPI reads them as search parameters ({@code POST _search}).
 * The answer is written here rather than thrown: HAPI logs every exception a hook throws, with its message.
 */
@Interceptor
public final class RequestMediaTypeInterceptor {

    private final ErrorResponses errors;

    RequestMediaTypeInterceptor(ErrorResponses errors) {
        this.errors = errors;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean checkContentType(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"POST".equals(method) && !"PUT".equals(method)) {
            return true;
        }
        String contentType = request.getContentType();
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (contentType == null) {
            if (hasBody) {
                return unsupported(
                        request,
                        response,
                        "A request body needs a Content-Type of application/fhir+json" + " or application/fhir+xml");
            }
            return true;
        }
        if (EncodingEnum.forContentType(contentType) == null
                && !contentType.startsWith(Constants.CT_X_FORM_URLENCODED)) {
            return unsupported(
                    request,
                    response,
                    "Content-Type '" + contentType.split(";")[0].trim()
                            + "' is not supported; send application/fhir+json or application/fhir+xml");
        }
        return true;
    }

    private boolean unsupported(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        errors.send(request, response, 415, IssueType.NOTSUPPORTED, XmlCharacters.replaceForbidden(message));
        return false;
    }
}
