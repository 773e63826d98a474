package org.twitchtriage.audit.internal;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.security.Caller;
import org.twitchtriage.security.PatientCompartment;
import org.twitchtriage.security.PatientCompartment.Sharing;

/**
 * What a FHIR request did, for its AuditEvent: the interaction, the caller, the patients concerned (of the
 * resources sent back, of the resource submitted, or named by a search), the resources touched (the id asked
 * for, the resources sent back, created or updated) and the search executed. Nothing of a resource's content is taken
 * beyond its type, id and patient reference.
 */
public final class RequestAudit {

    /** Each operation's BALP action; an operation not listed is recorded as E (execute). */
    private static final Map<String, Action> OPERATIONS = Map.of(
            "$submit", Action.CREATE,
            "$triage", Action.EXECUTE,
            "$delivery-status", Action.READ,
            "$redeliver", Action.UPDATE,
            "$failed-deliveries", Action.EXECUTE);

    /** Operations that return resources they did not store: their ids name nothing and are not recorded. */
    private static final String DRY_RUN = "$triage";

    private RequestAudit() {}

    static boolean isOperation(RestOperationTypeEnum operation) {
        return operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
    }

    static AuditRecord describe(
            RequestDetails request, Caller caller, int status, IBaseResource response, String location) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        Activity activity = activity(request, status);
        AuditRecord.Builder touched = new AuditRecord.Builder();
        IIdType id = request.getId();
        if (id != null && id.hasIdPart()) {
            touched.entity(FhirIds.reference(request.getResourceName(), id.getIdPart()));
        }
        IBaseResource submitted = submitted(request.getResource());
        if (submitted != null) {
            PatientCompartment.patientOf(submitted).ifPresent(touched::patient);
        }
        String query = null;
        if (operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            query = query(request);
            searchedPatients(request, touched);
        }
        if (location != null) {
            IdType created = new IdType(location);
            if (created.hasResourceType() && created.hasIdPart()) {
                touched.entity(FhirIds.reference(created));
            }
        }
        if (response != null) {
            sentBack(response, touched, !DRY_RUN.equals(activity.operation()));
        }
        Outcome outcome =
                status >= 500 ? Outcome.SERIOUS_FAILURE : status >= 400 ? Outcome.MINOR_FAILURE : Outcome.SUCCESS;
        return touched.build(
                caller, activity, outcome, outcomeDescription(status), remoteAddress(request), query, null);
    }

    private static Activity activity(RequestDetails request, int status) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (isOperation(operation)) {
            String name = request.getOperation();
            return Activity.operation(name, OPERATIONS.getOrDefault(name, Action.EXECUTE));
        }
        if (operation == RestOperationTypeEnum.UPDATE && status == 201) {
            // A conditional update that matched nothing created the resource, as a create would have.
            return new Activity(operation.getCode(), null, Action.CREATE);
        }
        String code = switch (operation) {
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            default -> operation.getCode();
        };
        return Activity.interaction(code);
    }

    /** The resource of a create or an update, or an operation's {@code resource} parameter. */
    private static IBaseResource submitted(IBaseResource body) {
        if (body instanceof Parameters parameters) {
            ParametersParameterComponent resource = parameters.getParameter("resource");
            return resource == null ? null : resource.getResource();
        }
        return body;
    }

    /** The patients a search of one patient's data names ({@code patient}, {@code subject}). */
    private static void searchedPatients(RequestDetails request, AuditRecord.Builder touched) {
        String type = request.getResourceName();
        if (type == null || PatientCompartment.sharing(type) != Sharing.PATIENT) {
            return;
        }
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            String name = parameter.getKey();
            if (!name.equals("patient") && !name.equals("subject") && !name.equals("subject:Patient")) {
                continue;
            }
            for (String value : parameter.getValue()) {
                for (String one : value.split(",")) {
                    IdType reference = new IdType(one);
                    if (reference.getResourceType() == null || "Patient".equals(reference.getResourceType())) {
                        touched.patient(reference.getIdPart());
                    }
                }
            }
        }
    }

    /** The search as executed, parameters sorted by name, e.g. {@code QuestionnaireResponse?_count=10&patient=1}. */
    private static String query(RequestDetails request) {
        StringBuilder query = new StringBuilder(String.valueOf(request.getRequestPath()));
        char separator = '?';
        for (Map.Entry<String, String[]> parameter : new TreeMap<>(request.getParameters()).entrySet()) {
            for (String value : parameter.getValue()) {
                query.append(separator)
                        .append(UrlUtil.escapeUrlParam(parameter.getKey()))
                        .append('=')
                        .append(UrlUtil.escapeUrlParam(value));
                separator = '&';
            }
        }
        return query.toString();
    }

    private static void sentBack(IBaseResource response, AuditRecord.Builder touched, boolean stored) {
        if (response instanceof Bundle bundle) {
            bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r != null && !(r instanceof OperationOutcome))
                    .forEach(r -> resource(r, touched, stored));
        } else if (response instanceof Parameters parameters) {
            parameters.getParameter().forEach(p -> references(p, touched));
        } else if (!(response instanceof OperationOutcome)) {
            resource(response, touched, stored);
        }
    }

    private static void resource(IBaseResource resource, AuditRecord.Builder touched, boolean stored) {
        PatientCompartment.patientOf(resource).ifPresent(touched::patient);
        if (stored && resource.getIdElement().hasIdPart()) {
            touched.entity(FhirIds.reference(resource));
        }
    }

    /** The resources an operation's Parameters refer to (the submissions of the delivery operations). */
    private static void references(ParametersParameterComponent parameter, AuditRecord.Builder touched) {
        Base value = parameter.getValue();
        if (value instanceof Reference reference
                && reference.getReferenceElement().hasResourceType()) {
            IIdType target = reference.getReferenceElement();
            touched.entity(FhirIds.reference(target));
        }
        parameter.getPart().forEach(part -> references(part, touched));
    }

    private static String remoteAddress(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
                ? servlet.getServletRequest().getRemoteAddr()
                : null;
    }

    /** A fixed phrase per status: exception messages may quote the request, so they are never recorded. */
    public static String outcomeDescription(int status) {
        String reason = switch (status) {
            case 400 -> "invalid request";
            case 403 -> "access denied";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 412 -> "precondition failed";
            case 413 -> "request too large";
            case 415 -> "unsupported media type";
            case 422 -> "the submission is not valid";
            case 429 -> "too many requests";
            default -> null;
        };
        if (status < 400) {
            return "Success";
        }
        String kind = status >= 500 ? "Failed: server error" : "Refused";
        return reason == null ? kind + " (HTTP " + status + ")" : kind + ": " + reason + " (HTTP " + status + ")";
    }
}
