package org.twitchtriage.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The wait before a delivery's next attempt: jitter makes it random, so each case samples it many times. */
class BackoffTest {

    private static final int SAMPLES = 500;

    @Test
    void theWaitGrowsByTheConfiguredMultiplier() {
        Backoff backoff = backoff(Duration.ofMillis(100), Duration.ofHours(1), 3.0);

        assertWaits(backoff, 1, 50, 100);
        assertWaits(backoff, 2, 150, 300);
        assertWaits(backoff, 3, 450, 900);
        assertWaits(backoff, 5, 4_050, 8_100);
    }

    @Test
    void aFractionalMultiplierGrowsTheWaitByThatFraction() {
        Backoff backoff = backoff(Duration.ofMillis(1_000), Duration.ofHours(1), 1.5);

        assertWaits(backoff, 2, 750, 1_500);
        assertWaits(backoff, 3, 1_125, 2_250);
    }

    @Test
    void aMultiplierOfOneKeepsTheWaitTheSame() {
        Backoff backoff = backoff(Duration.ofMillis(200), Duration.ofHours(1), 1.0);

        for (int attempts = 1; attempts <= 10; attempts++) {
            assertWaits(backoff, attempts, 100, 200);
        }
    }

    @Test
    void theWaitIsCappedAtTheMaximumInterval() {
        Backoff backoff = backoff(Duration.ofSeconds(2), Duration.ofSeconds(10), 2.0);

        assertWaits(backoff, 3, 4_000, 8_000);
        assertWaits(backoff, 4, 5_000, 10_000);
        assertWaits(backoff, 50, 5_000, 10_000);
        assertWaits(backoff, Integer.MAX_VALUE, 5_000, 10_000);
    }

    @Test
    void theJitterSpreadsTheWaitsOfDeliveriesThatFailedTogether() {
        Backoff backoff = backoff(Duration.ofSeconds(10), Duration.ofHours(1), 2.0);

        assertThat(IntStream.range(0, SAMPLES).mapToObj(i -> backoff.after(1, null)))
                .anyMatch(wait -> wait.toMillis() < 7_500)
                .anyMatch(wait -> wait.toMillis() > 7_500);
    }

    @Test
    void aWaitTheEhrAskedForIsKeptAsItIs() {
        Backoff backoff = backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

        assertThat(backoff.after(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(7, Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void theWaitIsNeverZero() {
        Backoff backoff = backoff(Duration.ZERO, Duration.ofSeconds(1), 2.0);

        assertWaits(backoff, 1, 1, 1);
    }

    /** Every sampled wait after {@code attempts} lies between the bounds, in milliseconds, both included. */
    private static void assertWaits(Backoff backoff, int attempts, long atLeast, long atMost) {
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(backoff.after(attempts, null).toMillis())
                    .as("wait after %d attempt(s)", attempts)
                    .isBetween(atLeast, atMost);
        }
    }

    private static Backoff backoff(Duration initial, Duration max, double multiplier) {
        return new Backoff(new EhrProperties.Retry(initial, max, multiplier, 50));
    }
}
