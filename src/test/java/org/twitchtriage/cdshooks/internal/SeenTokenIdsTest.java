package org.twitchtriage.cdshooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.MutableClock;

class SeenTokenIdsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final SeenTokenIds seen = new SeenTokenIds(clock);

    @Test
    void aJtiIsAcceptedOnceWhileItsJwtLives() {
        Instant expiry = clock.instant().plus(Duration.ofMinutes(5));

        assertThat(seen.use("https://ehr.example.test", "jti-1", expiry)).isEqualTo(SeenTokenIds.Use.FIRST);
        assertThat(seen.use("https://ehr.example.test", "jti-1", expiry)).isEqualTo(SeenTokenIds.Use.REPLAY);
        assertThat(seen.use("https://other-ehr.example.test", "jti-1", expiry)).isEqualTo(SeenTokenIds.Use.FIRST);
    }

    @Test
    void anIdIsForgottenOnceItsJwtHasExpired() {
        seen.use("https://ehr.example.test", "jti-2", clock.instant().plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(6));

        assertThat(seen.use("https://ehr.example.test", "jti-2", clock.instant().plus(Duration.ofMinutes(5))))
                .isEqualTo(SeenTokenIds.Use.FIRST);
    }
}
