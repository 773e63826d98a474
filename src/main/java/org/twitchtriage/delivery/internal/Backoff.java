package org.twitchtriage.delivery.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: attempt n waits between half and all of initial × multiplier^(n-1), capped. */
public final class Backoff {

    private final EhrProperties.Retry retry;

    Backoff(EhrProperties.Retry retry) {
        this.retry = retry;
    }

    /** @param attempts attempts made so far, including the one that just failed */
    Duration after(int attempts, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        double grown = retry.initialInterval().toMillis() * Math.pow(retry.multiplier(), Math.max(0, attempts - 1));
        double capped = Math.min(grown, retry.maxInterval().toMillis());
        double jittered = capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
