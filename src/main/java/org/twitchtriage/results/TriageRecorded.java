package org.twitchtriage.results;

import java.time.Instant;

/**
 * A submission's triage results were stored. Published inside the transaction that stores them, so a listener's
 * writes commit or roll back with them.
 *
 * @param submissionId the QuestionnaireResponse's id
 * @param effective when the triaged answers were given (the Observation's effective time); null if not known
 * @param levelSystem the code system of the triage level
 * @param levelCode the triage level's code
 * @param patientId the patient the result is about (the id, without {@code Patient/}); null if it names none
 */
public record TriageRecorded(
        String submissionId, Instant effective, String levelSystem, String levelCode, String patientId) {}
