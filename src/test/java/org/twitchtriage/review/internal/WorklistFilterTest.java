package org.twitchtriage.review.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twitchtriage.review.internal.ReviewExceptions.BadFilterException;

class WorklistFilterTest {

    private static final String LEVELS = "http://example.org/CodeSystem/levels";
    private static final List<Levels.Level> KNOWN = List.of(
            new Levels.Level(LEVELS, "immediate", 3, "Immediate"),
            new Levels.Level(LEVELS, "urgent", 2, "Urgent"),
            new Levels.Level(LEVELS, "self-care", 0, "Self-care"));

    @Test
    void noParametersMeanEverythingOnTheFirstPageOfTheDefaultSize() {
        WorklistFilter filter = WorklistFilter.of(Map.of(), KNOWN);

        assertThat(filter)
                .isEqualTo(new WorklistFilter(List.of(), null, null, null, null, null, 0, WorklistFilter.DEFAULT_SIZE));
        assertThat(filter.fromInstant()).isNull();
        assertThat(filter.toInstantExclusive()).isNull();
    }

    @Test
    void readsEveryFilterAndThePage() {
        WorklistFilter filter = WorklistFilter.of(
                parameters(
                        "level", "urgent",
                        "from", "2025-01-02",
                        "to", "2025-01-03",
                        "reviewed", "false",
                        "delivery", "failed",
                        "patient", "Patient/example-17",
                        "page", "2",
                        "size", "50"),
                KNOWN);

        assertThat(filter)
                .isEqualTo(new WorklistFilter(
                        List.of("urgent"),
                        LocalDate.parse("2025-01-02"),
                        LocalDate.parse("2025-01-03"),
                        false,
                        "failed",
                        "example-17",
                        2,
                        50));
    }

    @Test
    void levelsMayBeRepeatedOrCommaSeparatedAndCountOnce() {
        Map<String, String[]> parameters = Map.of("level", new String[] {"urgent, immediate", "urgent", " "});

        assertThat(WorklistFilter.of(parameters, KNOWN).levels()).containsExactly("urgent", "immediate");
    }

    @Test
    void daysAreWholeUtcDaysWithTheLastOneIncluded() {
        WorklistFilter filter = WorklistFilter.of(parameters("from", "2025-04-02", "to", "2025-04-03"), KNOWN);

        assertThat(filter.fromInstant()).isEqualTo(Instant.parse("2025-04-02T00:00:00Z"));
        assertThat(filter.toInstantExclusive()).isEqualTo(Instant.parse("2025-04-04T00:00:00Z"));
    }

    @Test
    void oneDayIsBothEnds() {
        WorklistFilter filter = WorklistFilter.of(parameters("from", "2025-04-02", "to", "2025-04-02"), KNOWN);

        assertThat(filter.from()).isEqualTo(filter.to());
    }

    @Test
    void blankValuesCountAsNotGiven() {
        WorklistFilter filter =
                WorklistFilter.of(parameters("from", " ", "reviewed", "", "delivery", "", "size", ""), KNOWN);

        assertThat(filter)
                .isEqualTo(new WorklistFilter(List.of(), null, null, null, null, null, 0, WorklistFilter.DEFAULT_SIZE));
    }

    @Test
    void aPatientMayBeGivenAsAReferenceOrAnId() {
        assertThat(WorklistFilter.of(parameters("patient", "Patient/example-17"), KNOWN)
                        .patient())
                .isEqualTo("example-17");
        assertThat(WorklistFilter.of(parameters("patient", "example-17"), KNOWN).patient())
                .isEqualTo("example-17");
    }

    @Test
    void theLargestPageIsAllowed() {
        assertThat(WorklistFilter.of(parameters("size", "100"), KNOWN).size()).isEqualTo(WorklistFilter.MAX_SIZE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "subject|example|Unknown parameter 'subject'",
                "patient|Patient/|'patient' must be a patient's id, as Patient/123 or 123",
                "patient|Patient/a b|'patient' must be a patient's id, as Patient/123 or 123",
                "level|bogus|'bogus' is not a triage level; use one of [immediate, urgent, self-care]",
                "from|2025-13-01|'from' must be a date like 2026-11-20, not '2025-13-01'",
                "to|yesterday|'to' must be a date like 2026-11-20, not 'yesterday'",
                "reviewed|maybe|'reviewed' must be true or false, not 'maybe'",
                "delivery|lost|'delivery' must be pending, delivered or failed, not 'lost'",
                "size|0|'size' must be between 1 and 100",
                "size|101|'size' must be between 1 and 100",
                "page|-1|'page' must be between 0 and",
                "page|x|'page' must be a whole number, not 'x'"
            })
    void refusesWhatItCannotUnderstandSayingWhy(String name, String value, String message) {
        assertThatThrownBy(() -> WorklistFilter.of(parameters(name, value), KNOWN))
                .isInstanceOf(BadFilterException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesAStartAfterTheEnd() {
        assertThatThrownBy(() -> WorklistFilter.of(parameters("from", "2025-02-02", "to", "2025-02-01"), KNOWN))
                .isInstanceOf(BadFilterException.class)
                .hasMessage("'from' (2025-02-02) is after 'to' (2025-02-01)");
    }

    @Test
    void refusesASingleValueGivenTwice() {
        Map<String, String[]> parameters = Map.of("reviewed", new String[] {"true", "false"});

        assertThatThrownBy(() -> WorklistFilter.of(parameters, KNOWN))
                .isInstanceOf(BadFilterException.class)
                .hasMessage("'reviewed' may be given once");
    }

    @Test
    void refusesAPageSoFarOnThatItsOffsetWouldOverflow() {
        String beyond = String.valueOf(Integer.MAX_VALUE / WorklistFilter.MAX_SIZE + 1);

        assertThatThrownBy(() -> WorklistFilter.of(parameters("page", beyond), KNOWN))
                .isInstanceOf(BadFilterException.class);
    }

    private static Map<String, String[]> parameters(String... namesAndValues) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], new String[] {namesAndValues[i + 1]});
        }
        return parameters;
    }
}
