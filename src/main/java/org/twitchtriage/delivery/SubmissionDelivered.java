package org.twitchtriage.delivery;

import java.util.List;

/**
 * A submission's resources were accepted by the EHR: patient data left the module. Published once the delivery
 * is recorded as delivered.
 *
 * @param submissionId the QuestionnaireResponse's id
 * @param patientId    the patient the submission is about, without {@code Patient/}; {@code null} if not relative
 * @param resources    what was sent, as local {@code Type/id}
 * @param interaction  {@code transaction} (one Bundle), {@code create} (one request per resource) or
 *     {@code update} (one request per resource, for what a correction or retraction changed)
 * @param ehrBaseUrl   where it was sent
 */
public record SubmissionDelivered(
        String submissionId, String patientId, List<String> resources, String interaction, String ehrBaseUrl) {

    public SubmissionDelivered {
        resources = List.copyOf(resources);
    }
}
