package org.twitchtriage.delivery;

import java.util.List;

/**
 * A submission's resources were accepted by the EHR: patient data left the module. Published once the delivery
 * is recorded as delivered.
 *
 * @param submissionId the QuestionnaireResponse's id
 * @param patientId    the patient the submission is about, without {@code Patient/}; {@code null} if not relative
 * @param resources    what was sent, as local {@code Type/id}
 * @param interaction  {@code transaction} (one Bundle) or {@code create} (one request per resource)
 * @param ehrBaseUrl   where it was sent
 */
public record SubmissionDelivered(
        String submissionId, String patientId, List<String> resources, String interaction, String ehrBaseUrl) {

    public SubmissionDelivered {
        resources = List.copyOf(resources);
    }
}
