package org.twitchtriage.security.internal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.MutableClock;

class SandboxLaunchesTest {

    @Test
    void aLaunchGivesItsContextUntilItExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        SandboxLaunches launches = new SandboxLaunches(clock);
        String id = launches.open("example-17", "clinician");

        assertThat(launches.find(id)).hasValueSatisfying(launch -> {
            assertThat(launch.patient()).isEqualTo("example-17");
            assertThat(launch.who()).isEqualTo("clinician");
        });
        clock.advance(SandboxLaunches.LIFETIME.minusSeconds(1));
        assertThat(launches.find(id)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(launches.find(id)).isEmpty();
    }

    @Test
    void unknownIdsFindNothingAndIdsAreUnguessablyDistinct() {
        SandboxLaunches launches = new SandboxLaunches(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        String one = launches.open("example-17", "patient");
        String two = launches.open("example-17", "patient");

        assertThat(one).isNotEqualTo(two).hasSizeGreaterThanOrEqualTo(22);
        assertThat(launches.find("no-such-launch")).isEmpty();
        assertThat(launches.find(null)).isEmpty();
    }
}
