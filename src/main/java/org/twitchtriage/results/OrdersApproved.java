package org.twitchtriage.results;

import java.time.Instant;

/**
 * A clinician approved a submission's proposed orders; published inside the transaction that stored the
 * orders (with {@link Origin#APPROVAL}), so their delivery is recorded with them or not at all.
 */
public record OrdersApproved(String submissionId, Instant at) {}
