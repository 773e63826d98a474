package org.twitchtriage.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Which resource types hold whose data. Published content (the Questionnaire and its terminology, rules
 * and profiles) is public; the module's Device is shared by all results; the types below name their
 * patient in one reference element; every other type (Provenance, AuditEvent, ...) is kept from
 * patient-context callers because it does not say whose it is.
 */
public final class PatientCompartment {

    /** How a resource type is shared. */
    public enum Sharing {
        /** Published content, readable without credentials. */
        PUBLIC,
        /** Not patient data, but only for callers with a scope for it. */
        SHARED,
        /** One patient's data, named by the type's patient element. */
        PATIENT,
        /** Patient data that does not name its patient; only for callers whose reach is all patients. */
        RESTRICTED
    }

    private static final Set<String> PUBLIC = Set.of(
            "Questionnaire",
            "PlanDefinition",
            "ActivityDefinition",
            "CodeSystem",
            "ValueSet",
            "StructureDefinition",
            "CapabilityStatement",
            "OperationDefinition",
            "SearchParameter");
    private static final Set<String> SHARED = Set.of("Device");
    private static final Map<String, String> PATIENT_ELEMENT = Map.of(
            "QuestionnaireResponse",
            "subject",
            "Observation",
            "subject",
            "ServiceRequest",
            "subject",
            "Communication",
            "subject",
            "Task",
            "for");

    private PatientCompartment() {}

    public static Sharing sharing(String resourceType) {
        if (PUBLIC.contains(resourceType)) {
            return Sharing.PUBLIC;
        }
        if (SHARED.contains(resourceType)) {
            return Sharing.SHARED;
        }
        return PATIENT_ELEMENT.containsKey(resourceType) ? Sharing.PATIENT : Sharing.RESTRICTED;
    }

    /**
     * The id of the patient a resource belongs to ({@code 123} for {@code Patient/123}), if its type names
     * one and the reference is a relative Patient reference.
     */
    public static Optional<String> patientOf(IBaseResource resource) {
        String element = PATIENT_ELEMENT.get(resource.fhirType());
        if (element == null || !(resource instanceof Resource r)) {
            return Optional.empty();
        }
        return r.getNamedProperty(element).getValues().stream()
                .filter(Reference.class::isInstance)
                .map(Reference.class::cast)
                .map(Reference::getReferenceElement)
                .filter(id -> "Patient".equals(id.getResourceType()) && id.hasIdPart() && !id.isAbsolute())
                .map(id -> id.getIdPart())
                .findFirst();
    }
}
