package org.twitchtriage.intake;

import java.time.Instant;

/**
 * An accepted response was corrected (status amended) or retracted (entered-in-error) by an update, and what its
 * triage wrote was revised with it. Published inside the transaction that stores the new version.
 *
 * @param version the response's new version
 */
public record ResponseRevised(String submissionId, int version, boolean retracted, Instant at) {}
