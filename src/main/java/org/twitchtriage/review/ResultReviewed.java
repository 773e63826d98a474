package org.twitchtriage.review;

import java.time.Instant;

/**
 * A clinician marked a submission's triage result reviewed. Published inside the transaction that stores the
 * review Task, once per review: marking a result reviewed that is already reviewed stores and publishes nothing.
 *
 * @param revision the version of the response whose result was reviewed
 */
public record ResultReviewed(String submissionId, int revision, Instant at) {}
