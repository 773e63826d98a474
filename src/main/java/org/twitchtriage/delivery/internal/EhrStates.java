package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Whether a resource in the EHR says what the module's resource says: the same content, leaving out what the EHR
 * gives every resource its own way (id, meta, narrative) and where references point (the EHR's ids are not the
 * module's). Used where the EHR's versions cannot tell whether it has moved on.
 */
final class EhrStates {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private EhrStates() {}

    static boolean same(Resource there, Resource ours) {
        if (!there.fhirType().equals(ours.fhirType())) {
            return false;
        }
        return comparable(there).equalsDeep(comparable(ours));
    }

    private static Resource comparable(Resource resource) {
        Resource copy = resource.copy();
        copy.setId((String) null);
        copy.setMeta(null);
        if (copy instanceof org.hl7.fhir.r4.model.DomainResource domain) {
            domain.setText(null);
        }
        for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(copy, Reference.class)) {
            reference.setReference(null);
        }
        return copy;
    }
}
