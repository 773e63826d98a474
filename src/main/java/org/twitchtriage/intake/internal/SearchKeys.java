package org.twitchtriage.intake.internal;

import java.time.Instant;

/**
 * The values of a QuestionnaireResponse that searches and idempotency use, taken out once at intake.
 *
 * @param identifierSystem empty when the identifier has a value but no system; {@code null} with no identifier
 * @param authoredLow first instant {@code authored} can denote, given its precision
 * @param authoredHigh last instant {@code authored} can denote
 */
public record SearchKeys(
        String identifierSystem,
        String identifierValue,
        String questionnaireUrl,
        String questionnaireVersion,
        String subjectId,
        String status,
        Instant authoredLow,
        Instant authoredHigh) {}
