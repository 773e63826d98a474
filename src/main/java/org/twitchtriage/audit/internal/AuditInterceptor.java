package org.twitchtriage.audit.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.fhir.FhirInterceptor;
import org.twitchtriage.security.Callers;
import org.twitchtriage.security.PatientCompartment;
import org.twitchtriage.security.PatientCompartment.Sharing;

/**
 * Records one AuditEvent per FHIR interaction that touches patient data: every read, search, create, update and
 * operation except on published content and the CapabilityStatement, whether it succeeds or fails. Successes
 * are recorded just before the response is written, so nothing leaves unaudited; failures (400, 403, 404, 422,
 * 500, ...) when the error is handled. A 401 has no identity to record and is left out. Registered after the
 * access interceptor, so a response that one refuses is recorded as the refusal it becomes. A new submission's
 * success is recorded by {@link SubmissionAudit} inside the submission's transaction instead; should the answer
 * still fail after that commit, the failure is recorded too.
 */
@Interceptor
@Order(Ordered.LOWEST_PRECEDENCE)
public final class AuditInterceptor implements FhirInterceptor {

    private static final String RECORDED = AuditInterceptor.class.getName() + ".recorded";
    /** The success was recorded in the interaction's own transaction, which has committed. */
    private static final String RECORDED_WITH_INTERACTION = AuditInterceptor.class.getName() + ".withInteraction";

    /** The request this thread is handling, from the access check until it is answered. */
    private static final ThreadLocal<RequestDetails> HANDLING = new ThreadLocal<>();

    private static final String AWAITING_LOCATION = AuditInterceptor.class.getName() + ".awaitingLocation";

    private final AuditTrail trail;
    private final Callers callers;

    AuditInterceptor(AuditTrail trail, Callers callers) {
        this.trail = trail;
        this.callers = callers;
    }

    /** Registered after the access interceptor: a request bound here has passed its checks. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void handling(RequestDetails request) {
        HANDLING.set(request);
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void answered(RequestDetails request) {
        HANDLING.remove();
    }

    /** The FHIR request this thread is handling, if it is one this interceptor would record and has not yet. */
    static RequestDetails handling() {
        RequestDetails request = HANDLING.get();
        return request != null && audited(request) && !recordedWithInteraction(request) ? request : null;
    }

    /** Its success is recorded: the transaction that wrote the event with the interaction has committed. */
    static void recordedWithInteraction(RequestDetails request, boolean recorded) {
        if (recorded) {
            request.getUserData().put(RECORDED_WITH_INTERACTION, Boolean.TRUE);
        } else {
            request.getUserData().remove(RECORDED_WITH_INTERACTION);
        }
    }

    private static boolean recordedWithInteraction(RequestDetails request) {
        return request.getUserData().containsKey(RECORDED_WITH_INTERACTION);
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean succeeded(RequestDetails request, ResponseDetails response) {
        if (!audited(request) || recordedWithInteraction(request)) {
            return true;
        }
        IBaseResource resource = response.getResponseResource();
        if (writesUnnamed(request) && !isWritten(resource, request)) {
            // Prefer: return=minimal (or OperationOutcome): the id is known once the Location header is set.
            request.getUserData().put(AWAITING_LOCATION, Boolean.TRUE);
            return true;
        }
        record(
                request,
                () -> RequestAudit.describe(request, callers.current(), response.getResponseCode(), resource, null));
        return true;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(RequestDetails request) {
        if (request.getUserData().remove(AWAITING_LOCATION) == null
                || !audited(request)
                || recordedWithInteraction(request)) {
            return;
        }
        String location = request instanceof ServletRequestDetails servlet ? location(servlet) : null;
        int status = request instanceof ServletRequestDetails servlet
                ? servlet.getServletResponse().getStatus()
                : 201;
        record(request, () -> RequestAudit.describe(request, callers.current(), status, null, location));
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        request.getUserData().remove(AWAITING_LOCATION);
        if (!audited(request) || exception.getStatusCode() == 401) {
            return true;
        }
        record(request, () -> RequestAudit.describe(request, callers.current(), exception.getStatusCode(), null, null));
        return true;
    }

    /** Whether the request is one to audit and has not been recorded yet. */
    private static boolean audited(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null
                || operation == RestOperationTypeEnum.METADATA
                || request.getUserData().containsKey(RECORDED)) {
            return false;
        }
        String type = request.getResourceName();
        return RequestAudit.isOperation(operation)
                || type == null
                || PatientCompartment.sharing(type) != Sharing.PUBLIC;
    }

    /** A create, or a conditional update: the URL does not name the resource written. */
    private static boolean writesUnnamed(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        return operation == RestOperationTypeEnum.CREATE
                || (operation == RestOperationTypeEnum.UPDATE
                        && (request.getId() == null || !request.getId().hasIdPart()));
    }

    private static boolean isWritten(IBaseResource resource, RequestDetails request) {
        return resource != null
                && resource.fhirType().equals(request.getResourceName())
                && resource.getIdElement().hasIdPart();
    }

    /** Where the resource written is: {@code Location} after a create, {@code Content-Location} after an update. */
    private static String location(ServletRequestDetails request) {
        String location = request.getServletResponse().getHeader("Location");
        return location != null ? location : request.getServletResponse().getHeader("Content-Location");
    }

    private void record(RequestDetails request, Supplier<AuditRecord> description) {
        request.getUserData().put(RECORDED, Boolean.TRUE);
        AuditRecord record;
        try {
            record = description.get();
        } catch (RuntimeException e) {
            trail.failed(String.valueOf(request.getRestOperationType()), e);
            return;
        }
        trail.record(record);
    }
}
