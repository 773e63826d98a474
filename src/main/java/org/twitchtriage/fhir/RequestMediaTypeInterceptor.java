package org.twitchtriage.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Rejects request bodies that are not FHIR JSON or XML with 415, before anything is parsed.
 * Form-encoded bodies stay allowed: HAPI reads them as search parameters ({@code POST _search}).
 */
@Interceptor
final class RequestMediaTypeInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean checkContentType(HttpServletRequest request, HttpServletResponse response) {
        String method = request.getMethod();
        if (!"POST".equals(method) && !"PUT".equals(method)) {
            return true;
        }
        String contentType = request.getContentType();
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (contentType == null) {
            if (hasBody) {
                throw unsupported("A request body needs a Content-Type of application/fhir+json or"
                        + " application/fhir+xml");
            }
            return true;
        }
        if (EncodingEnum.forContentType(contentType) == null
                && !contentType.startsWith(Constants.CT_X_FORM_URLENCODED)) {
            throw unsupported("Content-Type '" + contentType.split(";")[0].trim() + "' is not supported;"
                    + " send application/fhir+json or application/fhir+xml");
        }
        return true;
    }

    private static UnclassifiedServerFailureException unsupported(String message) {
        return new UnclassifiedServerFailureException(415, message);
    }
}
