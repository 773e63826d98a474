package org.twitchtriage.intake;

import java.time.Instant;

/**
 * A QuestionnaireResponse and its triage results were accepted. Published inside the transaction that
 * stores them, so a listener's writes commit or roll back with the submission.
 */
public record ResponseAccepted(String submissionId, Instant at) {}
