package org.twitchtriage.review;

import java.time.Instant;

/**
 * A clinician marked a submission's triage result as reviewed. Published inside the transaction that stores the
 * review Task, once per result: marking it again stores and publishes nothing.
 */
public record ResultReviewed(String submissionId, Instant at) {}
