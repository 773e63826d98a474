package org.twitchtriage.fhir.internal;

/**
 * A token bucket: holds up to {@code capacity} tokens, gains {@code perSecond} tokens a second, and each
 * request takes one. Times are nanoseconds from the caller's clock, so tests need not sleep.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long updated;

    TokenBucket(int capacity, double perSecond, long now) {
        this.capacity = capacity;
        this.perNano = perSecond / NANOS_PER_SECOND;
        this.tokens = capacity;
        this.updated = now;
    }

    /** Takes a token: 0 when one was there, otherwise the nanoseconds until one will be (nothing is taken). */
    synchronized long take(long now) {
        if (now > updated) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }
}
