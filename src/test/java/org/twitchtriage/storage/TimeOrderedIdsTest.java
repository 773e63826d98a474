package org.twitchtriage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void isAVersion7UuidCarryingItsMillisecond() {
        long millis = 1_795_000_000_123L;

        UUID id = UUID.fromString(TimeOrderedIds.next(millis));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsText() {
        List<String> made = new ArrayList<>();
        for (long millis = 1_795_000_000_000L; millis < 1_795_000_000_000L + 2_000; millis += 7) {
            made.add(TimeOrderedIds.next(millis));
        }

        assertThat(made).isSorted();
    }

    @Test
    void idsMadeInTheSameMillisecondDifferAndAreFhirIds() {
        HashSet<String> made = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TimeOrderedIds.next(1_795_000_000_000L);
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            made.add(id);
        }

        assertThat(made).hasSize(10_000);
    }

    @Test
    void nowIsNow() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(TimeOrderedIds.next());
        long after = System.currentTimeMillis();

        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }
}
