package org.twitchtriage.intake.internal;

import java.time.Instant;

/**
 * What a QuestionnaireResponse search asks for; {@code null} fields do not constrain.
 *
 * @param identifierSystem {@code null} for any system, empty for "no system" ({@code |value})
 * @param authoredFrom responses whose authored period ends at or after this instant
 * @param authoredTo responses whose authored period starts at or before this instant
 * @param matchesNothing the parameters contradict each other or name something that cannot exist
 */
public record ResponseCriteria(
        String subjectId,
        String identifierSystem,
        String identifierValue,
        String questionnaireUrl,
        String questionnaireVersion,
        Instant authoredFrom,
        Instant authoredTo,
        String status,
        boolean matchesNothing) {

    static ResponseCriteria identifier(String system, String value) {
        return new ResponseCriteria(null, system, value, null, null, null, null, null, false);
    }
}
