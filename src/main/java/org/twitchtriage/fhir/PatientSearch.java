package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * The Patient a search's {@code subject} and {@code patient} parameters name together.
 *
 * @param patientId the Patient id to match, {@code null} when neither parameter was given
 * @param matchesNothing a parameter names something other than a Patient, or the two name different Patients
 */
public record PatientSearch(String patientId, boolean matchesNothing) {

    public static PatientSearch of(ReferenceParam subject, ReferenceParam patient) {
        String a = patientId(subject);
        String b = patientId(patient);
        boolean nothing = "".equals(a) || "".equals(b) || (a != null && b != null && !a.equals(b));
        return new PatientSearch(a != null ? a : b, nothing);
    }

    /** The Patient id a reference names, {@code ""} when it names another type, {@code null} if absent. */
    private static String patientId(ReferenceParam reference) {
        if (reference == null) {
            return null;
        }
        if (reference.getChain() != null) {
            throw new InvalidRequestException("Chained reference searches are not supported");
        }
        String type = reference.getResourceType();
        return type != null && !"Patient".equals(type) ? "" : reference.getIdPart();
    }
}
