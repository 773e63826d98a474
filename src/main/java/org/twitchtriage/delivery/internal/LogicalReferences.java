package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * For an EHR that cannot take some of the resources a delivery holds: references to those become logical
 * references (the target's identifier and type, no literal reference), so nothing sent points at a resource the
 * EHR does not have; a reference to a resource without an identifier is dropped.
 */
final class LogicalReferences {

    private final FhirContext fhirContext;

    LogicalReferences(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** The first identifier with a value of a resource, if its type has identifiers. */
    static Optional<Identifier> identifierOf(Resource resource) {
        Property property = resource.getNamedProperty("identifier");
        if (property == null) {
            return Optional.empty();
        }
        for (Base value : property.getValues()) {
            if (value instanceof Identifier identifier && identifier.hasValue()) {
                return Optional.of(identifier);
            }
        }
        return Optional.empty();
    }

    /**
     * Rewrites, in place, every reference of the resource to one of the resources left out.
     *
     * @param leftOut the resources not sent, by local reference ({@code Type/id})
     */
    void rewrite(Resource resource, Map<String, Resource> leftOut) {
        for (Reference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (!reference.hasReference()) {
                continue;
            }
            IdType target = new IdType(reference.getReference());
            if (!target.hasResourceType() || !target.hasIdPart() || target.isAbsolute()) {
                continue;
            }
            Resource missing = leftOut.get(target.getResourceType() + "/" + target.getIdPart());
            if (missing == null) {
                continue;
            }
            reference.setReference((String) null);
            Optional<Identifier> identifier = identifierOf(missing);
            if (identifier.isPresent()) {
                reference.setType(missing.fhirType());
                reference.setIdentifier(identifier.get().copy());
            } else {
                reference.setType(null);
                reference.setDisplay(null);
                reference.setIdentifier(null);
            }
        }
    }
}
