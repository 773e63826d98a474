package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.param.DateRangeParam;
import java.time.Instant;
import java.util.Date;

/**
 * The instants a date search parameter reaches, its prefixes ({@code ge le gt lt eq}) and precision applied
 * as HAPI reads them: {@code eq2026-11-20} is the whole day, {@code gt2026-11} starts with December.
 *
 * @param from first instant matched; {@code null} when unbounded
 * @param to   last instant matched; {@code null} when unbounded
 */
public record DateSearch(Instant from, Instant to) {

    private static final DateSearch ANY = new DateSearch(null, null);

    public static DateSearch of(DateRangeParam range) {
        if (range == null) {
            return ANY;
        }
        return new DateSearch(toInstant(range.getLowerBoundAsInstant()), toInstant(range.getUpperBoundAsInstant()));
    }

    private static Instant toInstant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
