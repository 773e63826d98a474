package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    private RateLimiter limiter(double perSecond, int burst) {
        return new RateLimiter(new RateLimitProperties(true, perSecond, burst), clock::get);
    }

    @Test
    void aClientGetsItsBurstThenWaitsForTheNextToken() {
        RateLimiter limiter = limiter(1, 3);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        long wait = limiter.acquire("a");

        assertThat(wait).isEqualTo(SECOND);
    }

    @Test
    void tokensComeBackAtTheSustainedRate() {
        RateLimiter limiter = limiter(2, 2);
        limiter.acquire("a");
        limiter.acquire("a");
        assertThat(limiter.acquire("a")).isEqualTo(SECOND / 2);

        clock.addAndGet(SECOND / 2);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void anIdleClientRefillsOnlyUpToItsBurst() {
        RateLimiter limiter = limiter(10, 2);
        limiter.acquire("a");

        clock.addAndGet(3_600 * SECOND);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        RateLimiter limiter = limiter(1, 1);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void idleClientsAreForgotten() {
        RateLimiter limiter = limiter(1, 3);
        for (int i = 0; i < 1_000; i++) {
            limiter.acquire("client-" + i);
        }
        assertThat(limiter.clients()).isEqualTo(1_000);

        clock.addAndGet(10 * SECOND);

        assertThat(limiter.clients()).isZero();
    }

    @Test
    void theNumberOfClientsKeptIsBounded() {
        RateLimiter limiter = limiter(1, 1);
        for (int i = 0; i < RateLimiter.MAX_CLIENTS + 5_000; i++) {
            limiter.acquire("client-" + i);
        }

        assertThat(limiter.clients()).isLessThanOrEqualTo(RateLimiter.MAX_CLIENTS);
    }

    @Test
    void theClientIsTheAuthenticatedUserOrElseTheRemoteAddress() {
        MockHttpServletRequest anonymous = new MockHttpServletRequest();
        anonymous.setRemoteAddr("192.0.2.7");
        MockHttpServletRequest portal = new MockHttpServletRequest();
        portal.setRemoteAddr("192.0.2.7");
        Principal principal = () -> "portal-a";
        portal.setUserPrincipal(principal);

        assertThat(RateLimitFilter.defaultClientKey(anonymous)).isEqualTo("address:192.0.2.7");
        assertThat(RateLimitFilter.defaultClientKey(portal)).isEqualTo("user:portal-a");
    }
}
