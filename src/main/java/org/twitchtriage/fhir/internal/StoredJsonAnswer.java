package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IRestfulResponse;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.RestfulServerUtils.ResponseEncoding;
import ca.uhn.fhir.util.DateUtils;
import java.io.IOException;
import java.io.Writer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.twitchtriage.fhir.ResourceJson;

/**
 * Answers a create or an update with the JSON the module has just stored for the resource
 * ({@link ResourceJson#answerWith}), instead of having HAPI encode the resource again: the same bytes a read
 * of it returns, with the headers HAPI sets (Location, Content-Location, ETag, Last-Modified). Only when the
 * client asked for plain JSON: a request with any parameter ({@code _format}, {@code _pretty},
 * {@code _summary}, {@code _elements}), for XML, or for a gzipped answer is left to HAPI. Runs after every
 * other hook on the outgoing response, so the access checks and the audit trail see it first.
 */
@Interceptor
public final class StoredJsonAnswer {

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Integer.MAX_VALUE)
    public boolean answer(RequestDetails request, ResponseDetails response) throws IOException {
        IBaseResource resource = response.getResponseResource();
        String json = resource == null ? null : ResourceJson.answerFor(resource);
        if (json == null || !plainJsonAsked(request)) {
            return true;
        }
        ResponseEncoding encoding = RestfulServerUtils.determineResponseEncodingWithDefault(request);
        if (encoding.getEncoding() != EncodingEnum.JSON) {
            return true;
        }
        IRestfulResponse out = request.getResponse();
        IIdType id = resource.getIdElement();
        String base = request.getFhirServerBase();
        if (id.hasIdPart() && id.hasResourceType() && base != null && !base.isBlank()) {
            String location = id.withServerBase(base, id.getResourceType()).getValue();
            if (request.getRequestType() == RequestTypeEnum.POST) {
                out.addHeader(Constants.HEADER_LOCATION, location);
            }
            out.addHeader(Constants.HEADER_CONTENT_LOCATION, location);
        }
        if (request.getServer().getETagSupport() == ETagSupportEnum.ENABLED && id.hasVersionIdPart()) {
            out.addHeader(Constants.HEADER_ETAG, RestfulServerUtils.createEtag(id.getVersionIdPart()));
        }
        if (resource.getMeta().getLastUpdated() != null) {
            out.addHeader(
                    Constants.HEADER_LAST_MODIFIED,
                    DateUtils.formatDate(resource.getMeta().getLastUpdated()));
        }
        Writer writer = out.getResponseWriter(
                response.getResponseCode(), encoding.getResourceContentType(), Constants.CHARSET_NAME_UTF8, false);
        writer.write(json);
        out.commitResponse(writer);
        return false;
    }

    /** A create or update with no parameter, asking for neither gzip nor pretty text; the encoding is seen apart. */
    private static boolean plainJsonAsked(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        return (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE)
                && request.getParameters().isEmpty()
                && !request.isRespondGzip()
                && !RestfulServerUtils.prettyPrintResponse(request.getServer(), request);
    }
}
