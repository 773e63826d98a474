package org.twitchtriage.review.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.review.internal.ReviewExceptions.BadFilterException;

/**
 * The worklist's filters and page, read from request parameters and checked: an unknown parameter or a value
 * that cannot be understood is refused with a sentence saying what is wrong.
 *
 * @param levels level codes to include; empty for all
 * @param from results authored on or after this day (UTC); null for no bound
 * @param to results authored on or before this day (UTC); null for no bound
 * @param reviewed true for reviewed only, false for not reviewed only, null for both
 * @param delivery {@code pending}, {@code delivered} or {@code failed}: the least advanced of the result's
 *     deliveries; null for any
 * @param patient one patient's results only (the id, given as {@code Patient/123} or {@code 123}); null for all
 */
public record WorklistFilter(
        List<String> levels,
        LocalDate from,
        LocalDate to,
        Boolean reviewed,
        String delivery,
        String patient,
        int page,
        int size) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final Set<String> DELIVERY_STATUSES = Set.of("pending", "delivered", "failed");
    private static final List<String> PARAMETERS =
            List.of("level", "from", "to", "reviewed", "delivery", "patient", "page", "size");

    /** @param known the published triage levels, the only ones a filter may name */
    static WorklistFilter of(Map<String, String[]> parameters, List<Levels.Level> known) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new BadFilterException("Unknown parameter '" + name + "'; the worklist takes " + PARAMETERS);
            }
        }
        List<String> levels = values(parameters, "level");
        for (String level : levels) {
            if (known.stream().noneMatch(l -> l.code().equals(level))) {
                throw new BadFilterException("'" + level + "' is not a triage level; use one of "
                        + known.stream().map(Levels.Level::code).toList());
            }
        }
        LocalDate from = date(parameters, "from");
        LocalDate to = date(parameters, "to");
        if (from != null && to != null && from.isAfter(to)) {
            throw new BadFilterException("'from' (" + from + ") is after 'to' (" + to + ")");
        }
        String delivery = single(parameters, "delivery");
        if (delivery != null && !DELIVERY_STATUSES.contains(delivery)) {
            throw new BadFilterException("'delivery' must be pending, delivered or failed, not '" + delivery + "'");
        }
        String patient = single(parameters, "patient");
        if (patient != null) {
            patient = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
            if (!FhirIds.isId(patient)) {
                throw new BadFilterException("'patient' must be a patient's id, as Patient/123 or 123");
            }
        }
        int page = number(parameters, "page", 0, 0, Integer.MAX_VALUE / MAX_SIZE);
        int size = number(parameters, "size", DEFAULT_SIZE, 1, MAX_SIZE);
        return new WorklistFilter(levels, from, to, bool(parameters, "reviewed"), delivery, patient, page, size);
    }

    Instant fromInstant() {
        return from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Exclusive: the start of the day after {@code to}. */
    Instant toInstantExclusive() {
        return to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static List<String> values(Map<String, String[]> parameters, String name) {
        String[] given = parameters.get(name);
        if (given == null) {
            return List.of();
        }
        return Arrays.stream(given)
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .distinct()
                .toList();
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] given = parameters.get(name);
        if (given == null || given.length == 0 || given[0].isBlank()) {
            return null;
        }
        if (given.length > 1) {
            throw new BadFilterException("'" + name + "' may be given once");
        }
        return given[0].trim();
    }

    private static LocalDate date(Map<String, String[]> parameters, String name) {
        String value = single(parameters, name);
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadFilterException("'" + name + "' must be a date like 2026-11-20, not '" + value + "'");
        }
    }

    private static Boolean bool(Map<String, String[]> parameters, String name) {
        String value = single(parameters, name);
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new BadFilterException("'" + name + "' must be true or false, not '" + value + "'");
        }
        return Boolean.valueOf(value);
    }

    private static int number(Map<String, String[]> parameters, String name, int fallback, int min, int max) {
        String value = single(parameters, name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw new BadFilterException("'" + name + "' must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new BadFilterException("'" + name + "' must be a whole number, not '" + value + "'");
        }
    }
}
