package org.twitchtriage.fhir.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * One {@link TokenBucket} per client key, in this instance's memory (instances behind a load balancer each
 * count their own share). A bucket idle long enough to have refilled is dropped, which changes nothing for
 * its client; at most {@link #MAX_CLIENTS} are kept, so a flood of distinct clients cannot exhaust memory
 * (past that, the least recently seen clients start again with a full bucket).
 */
public final class RateLimiter {

    static final long MAX_CLIENTS = 100_000;

    private final RateLimitProperties settings;
    private final Ticker ticker;
    private final Cache<String, TokenBucket> buckets;

    RateLimiter(RateLimitProperties settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        Duration refill = Duration.ofNanos((long) Math.ceil(settings.burst() / settings.requestsPerSecond() * 1e9));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(refill.plusSeconds(1))
                .ticker(ticker)
                .build();
    }

    /** 0 when the client may go ahead, otherwise the nanoseconds until it may. */
    long acquire(String client) {
        long now = ticker.read();
        return buckets.get(client, key -> new TokenBucket(settings.burst(), settings.requestsPerSecond(), now))
                .take(now);
    }

    long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
