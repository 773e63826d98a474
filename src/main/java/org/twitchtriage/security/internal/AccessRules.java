package org.twitchtriage.security.internal;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twitchtriage.security.PatientCompartment;
import org.twitchtriage.security.PatientCompartment.Sharing;

/**
 * The permission each FHIR interaction needs. Reads and searches need {@code r} and {@code s} on the
 * resource type, creates {@code c}, and so on, as SMART defines them. The module's operations are listed
 * here one by one; an interaction or operation that is not is refused to every token, so a new endpoint
 * cannot be reached until someone decides who may use it.
 */
public final class AccessRules {

    /**
     * What an interaction needs.
     *
     * @param resourceType          the type the permission is on
     * @param permission            the permission
     * @param patientContextAllowed whether a patient-context caller may do it for its own patient
     * @param interaction           the interaction or operation, for messages
     * @param unknown               true when no rule covers the interaction: refused
     */
    record Need(
            String resourceType,
            Permission permission,
            boolean patientContextAllowed,
            String interaction,
            boolean unknown) {

        String describe() {
            return interaction + " on " + resourceType;
        }

        String scopesThatWouldAllow() {
            String letter = String.valueOf(permission.letter());
            String v1 = permission == Permission.READ || permission == Permission.SEARCH ? "read" : "write";
            String user = "user/" + resourceType + "." + letter + " (or ." + v1 + ") or system/" + resourceType + "."
                    + letter;
            return patientContextAllowed ? "patient/" + resourceType + "." + letter + ", " + user : user;
        }
    }

    private record OperationRule(String resourceType, Permission permission, boolean patientContextAllowed) {}

    /** The module's FHIR operations: whose permission each one needs. */
    private static final Map<String, OperationRule> OPERATIONS = Map.of(
            "$submit", new OperationRule("QuestionnaireResponse", Permission.CREATE, true),
            // A dry run of a submission: the same permission, nothing stored.
            "$triage", new OperationRule("QuestionnaireResponse", Permission.CREATE, true),
            "$delivery-status", new OperationRule("QuestionnaireResponse", Permission.READ, false),
            "$redeliver", new OperationRule("QuestionnaireResponse", Permission.UPDATE, false),
            "$failed-deliveries", new OperationRule("QuestionnaireResponse", Permission.SEARCH, false),
            // What the EHR takes and how deliveries go there: for operators, as $failed-deliveries.
            "$ehr-capabilities", new OperationRule("QuestionnaireResponse", Permission.SEARCH, false),
            // Counts of clinicians' verdicts over every result: for those who may search every result, as the
            // clinician pages that show the same figures need a user/ Observation scope.
            "$rule-feedback", new OperationRule("Observation", Permission.SEARCH, false));

    private AccessRules() {}

    /** What the request needs; empty when it needs nothing (the CapabilityStatement, published content). */
    static Optional<Need> need(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String type = request.getResourceName();
        if (operation == null) {
            return Optional.of(unknown("this request", type));
        }
        switch (operation) {
            case METADATA:
                return Optional.empty();
            case READ:
            case VREAD:
            case HISTORY_INSTANCE:
            case HISTORY_TYPE:
                return publicOr(type, Permission.READ, operation);
            case SEARCH_TYPE:
                return publicOr(type, Permission.SEARCH, operation);
            case CREATE:
                return Optional.of(new Need(type, Permission.CREATE, true, "create", false));
            case UPDATE:
            case PATCH:
                return Optional.of(new Need(type, Permission.UPDATE, true, "update", false));
            case DELETE:
                return Optional.of(new Need(type, Permission.DELETE, true, "delete", false));
            case EXTENDED_OPERATION_SERVER:
            case EXTENDED_OPERATION_TYPE:
            case EXTENDED_OPERATION_INSTANCE:
                OperationRule rule = OPERATIONS.get(request.getOperation());
                if (rule == null) {
                    return Optional.of(unknown(String.valueOf(request.getOperation()), type));
                }
                return Optional.of(new Need(
                        rule.resourceType(),
                        rule.permission(),
                        rule.patientContextAllowed(),
                        request.getOperation(),
                        false));
            default:
                return Optional.of(unknown(operation.getCode(), type));
        }
    }

    private static Optional<Need> publicOr(String type, Permission permission, RestOperationTypeEnum operation) {
        if (type != null && PatientCompartment.sharing(type) == Sharing.PUBLIC) {
            return Optional.empty();
        }
        String interaction = permission == Permission.SEARCH ? "search" : operation.getCode();
        return Optional.of(new Need(type, permission, true, interaction, false));
    }

    private static Need unknown(String interaction, String type) {
        return new Need(type == null ? "the server" : type, Permission.UPDATE, false, interaction, true);
    }

    /** The operations that have a rule, for checking that every published operation is covered. */
    public static Set<String> coveredOperations() {
        return OPERATIONS.keySet();
    }
}
