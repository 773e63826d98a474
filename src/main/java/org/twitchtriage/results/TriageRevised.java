package org.twitchtriage.results;

import java.time.Instant;

/**
 * A submission's triage results were revised by a correction of its response, or retracted with it. Published
 * inside the transaction that stores the new versions.
 *
 * @param revision the version of the response the revision follows from
 * @param effective when the triaged answers were given; null if not known
 * @param levelSystem the code system of the triage level now
 * @param levelCode the triage level's code now
 * @param previousLevelCode the level's code before the revision
 * @param retracted whether the response was retracted (entered in error) rather than corrected
 */
public record TriageRevised(
        String submissionId,
        int revision,
        Instant effective,
        String levelSystem,
        String levelCode,
        String previousLevelSystem,
        String previousLevelCode,
        boolean retracted) {}
