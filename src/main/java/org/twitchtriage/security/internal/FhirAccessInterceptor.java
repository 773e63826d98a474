package org.twitchtriage.security.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.twitchtriage.fhir.ConcernsStoredResource;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.fhir.FhirInterceptor;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.security.Caller;
import org.twitchtriage.security.Caller.Reach;
import org.twitchtriage.security.Callers;
import org.twitchtriage.security.PatientCompartment;
import org.twitchtriage.security.PatientCompartment.Sharing;

/**
 * Applies SMART scopes and patient context to every FHIR interaction. Each interaction needs one
 * permission on one resource type ({@link AccessRules}); published content and the CapabilityStatement
 * need none. A caller whose only matching scope is a {@code patient/} scope reaches its own patient's data
 * only: what it submits must be about that patient, its searches are narrowed to that patient, and every
 * resource it is sent is checked to be that patient's. Anything else is 403; no token where one is needed
 * is 401.
 */
@Interceptor
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class FhirAccessInterceptor implements FhirInterceptor {

    private static final String OWN_PATIENT = FhirAccessInterceptor.class.getName() + ".patient";

    private final Callers callers;

    FhirAccessInterceptor(Callers callers) {
        this.callers = callers;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean authorize(RequestDetails request) {
        Optional<AccessRules.Need> found = AccessRules.need(request);
        if (found.isEmpty()) {
            return true;
        }
        AccessRules.Need need = found.get();
        Caller caller = callers.current();
        if (caller.kind() == Caller.Kind.DEVELOPMENT) {
            return true;
        }
        if (!caller.isAuthenticated()) {
            String message = "This request needs an access token: send it as 'Authorization: Bearer <token>'";
            AuthenticationException unauthenticated = new AuthenticationException(message);
            unauthenticated.setOperationOutcome(OperationOutcomes.error(IssueType.LOGIN, message));
            throw (AuthenticationException) unauthenticated.addResponseHeader(
                    "WWW-Authenticate", "Bearer realm=\"" + SecurityConfiguration.REALM + "\"");
        }
        if (need.unknown()) {
            throw forbidden(need.describe() + " has no access rule, so it is refused");
        }
        Reach reach = caller.reach(need.resourceType(), need.permission())
                .orElseThrow(() -> forbidden("The access token's scopes do not allow " + need.describe()
                        + "; it needs one of " + need.scopesThatWouldAllow()));
        if (reach == Reach.ALL) {
            return true;
        }
        if (!need.patientContextAllowed() || PatientCompartment.sharing(need.resourceType()) == Sharing.RESTRICTED) {
            throw forbidden(need.describe() + " is not available with patient-context scopes; it needs a user/ or"
                    + " system/ scope");
        }
        request.getUserData().put(OWN_PATIENT, caller.patient());
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
                && PatientCompartment.sharing(need.resourceType()) == Sharing.PATIENT) {
            narrowToPatient(request, caller.patient());
        }
        return true;
    }

    /** What a patient-context caller sends must be about its patient. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkSubmittedResource(RequestDetails request) {
        String patient = (String) request.getUserData().get(OWN_PATIENT);
        if (patient == null) {
            return;
        }
        IBaseResource submitted = submittedResource(request.getResource());
        if (submitted == null) {
            return;
        }
        if (PatientCompartment.sharing(submitted.fhirType()) == Sharing.PATIENT
                && !PatientCompartment.patientOf(submitted).map(patient::equals).orElse(false)) {
            throw forbidden("The " + submitted.fhirType() + "'s patient must be the patient the access token was"
                    + " issued for");
        }
    }

    /** Nothing goes to a patient-context caller that belongs to another patient. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean checkOutgoing(RequestDetails request, ResponseDetails response) {
        String patient = (String) request.getUserData().get(OWN_PATIENT);
        if (patient == null || response.getResponseResource() == null) {
            return true;
        }
        // An operation's result Bundle (a submission and what it produced) may carry its Provenance; a read or
        // search may not, since a Provenance does not say whose it is.
        boolean operation = request.getRestOperationType() != null
                && request.getRestOperationType().name().startsWith("EXTENDED_OPERATION");
        IBaseResource resource = response.getResponseResource();
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream()
                    .filter(e -> e.getResource() != null)
                    .forEach(e -> checkOwn(e.getResource(), patient, operation));
        } else {
            checkOwn(resource, patient, operation);
        }
        return true;
    }

    /**
     * A refusal about a stored resource that belongs to another patient is answered like a read of it would
     * be, before the refusal is translated (so earlier than the server's error mapping), and says nothing more.
     */
    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = -1)
    public BaseServerResponseException checkRefusal(RequestDetails request, Throwable exception) {
        String patient = (String) request.getUserData().get(OWN_PATIENT);
        Throwable thrown = exception;
        while (thrown != null && !(thrown instanceof ConcernsStoredResource)) {
            thrown = thrown.getCause();
        }
        if (patient == null || thrown == null) {
            return null;
        }
        try {
            checkOwn(((ConcernsStoredResource) thrown).storedResource(), patient, false);
            return null;
        } catch (ForbiddenOperationException refused) {
            return refused;
        }
    }

    private static void checkOwn(IBaseResource resource, String patient, boolean partOfOperation) {
        if (resource instanceof OperationOutcome) {
            return;
        }
        switch (PatientCompartment.sharing(resource.fhirType())) {
            case PUBLIC, SHARED -> {}
            case PATIENT -> {
                if (!PatientCompartment.patientOf(resource).map(patient::equals).orElse(false)) {
                    throw forbidden("The access token does not allow access to this " + resource.fhirType()
                            + ": it belongs to another patient");
                }
            }
            case RESTRICTED -> {
                if (!partOfOperation) {
                    throw forbidden(resource.fhirType() + " is not available with patient-context scopes");
                }
            }
        }
    }

    private static IBaseResource submittedResource(IBaseResource body) {
        if (body instanceof Parameters parameters) {
            Parameters.ParametersParameterComponent resource = parameters.getParameter("resource");
            return resource == null ? null : resource.getResource();
        }
        return body;
    }

    /**
     * Keeps a patient-context search to the caller's patient: the search's own subject/patient values must
     * all name that patient, and a search without them is given one.
     */
    private static void narrowToPatient(RequestDetails request, String patient) {
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
        boolean named = false;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            String base = name.split("[:.]", 2)[0];
            if (!base.equals("subject") && !base.equals("patient")) {
                continue;
            }
            if (!name.equals(base) && !name.equals(base + ":Patient")) {
                throw forbidden("With patient-context scopes, '" + name + "' is not allowed; search by patient");
            }
            for (String value : parameter.getValue()) {
                for (String one : value.split(",")) {
                    if (!one.equals(FhirIds.reference("Patient", patient)) && !(one.equals(patient))) {
                        throw forbidden("The access token does not allow searching another patient's data");
                    }
                }
            }
            named = true;
        }
        if (!named) {
            parameters.put("patient", new String[] {FhirIds.reference("Patient", patient)});
            request.setParameters(parameters);
        }
    }

    static ForbiddenOperationException forbidden(String message) {
        return new ForbiddenOperationException(message, OperationOutcomes.error(IssueType.FORBIDDEN, message));
    }
}
