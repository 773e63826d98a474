package org.twitchtriage.cdshooks.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jti} of every JWT accepted, kept until the JWT expires, so that the same JWT is accepted once. The
 * memory is this instance's: behind a load balancer each instance refuses only the replays it sees itself.
 */
final class SeenTokenIds {

    /** Beyond this many unexpired ids, calls are refused rather than the memory grown without bound. */
    static final int CAPACITY = 100_000;

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Clock clock;

    SeenTokenIds(Clock clock) {
        this.clock = clock;
    }

    enum Use {
        FIRST,
        REPLAY,
        FULL
    }

    /**
     * Remembers the issuer's {@code jti} until {@code forgetAfter}.
     *
     * @return whether this is its first use, a replay, or the memory is full
     */
    Use use(String issuer, String jti, Instant forgetAfter) {
        Instant now = clock.instant();
        if (seen.size() >= CAPACITY / 2) {
            seen.values().removeIf(until -> until.isBefore(now));
        }
        if (seen.size() >= CAPACITY) {
            return Use.FULL;
        }
        String key = issuer.length() + ":" + issuer + jti;
        Instant earlier = seen.putIfAbsent(key, forgetAfter);
        if (earlier == null) {
            return Use.FIRST;
        }
        if (earlier.isBefore(now)) {
            // Expired and forgotten in all but name: the JWT itself can no longer pass its exp check.
            seen.put(key, forgetAfter);
            return Use.FIRST;
        }
        return Use.REPLAY;
    }
}
