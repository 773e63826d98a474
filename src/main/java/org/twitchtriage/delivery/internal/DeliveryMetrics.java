package org.twitchtriage.delivery.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.fhir.Failures;

/**
 * The delivery meters. As Prometheus exports them:
 * <ul>
 * <li>{@code twitchtriage_deliveries_delivered_total}: submissions the EHR accepted;</li>
 * <li>{@code twitchtriage_deliveries_retried_total}: attempts that failed in a way that may pass and were
 *     scheduled again;</li>
 * <li>{@code twitchtriage_deliveries_failed_total{reason}}: deliveries parked as failed, {@code reason}
 *     {@code refused} (the EHR said no) or {@code exhausted} (every attempt failed);</li>
 * <li>{@code twitchtriage_deliveries_backlog}: deliveries pending, whether delivery is on or off;</li>
 * <li>{@code twitchtriage_deliveries_parked}: failed deliveries waiting for an operator's re-drive;</li>
 * <li>{@code twitchtriage_deliveries_backlog_age_seconds}: how long the oldest pending delivery has been
 *     waiting, 0 when none is;</li>
 * <li>{@code twitchtriage_delivery_latency_seconds}: from the submission's acceptance to its delivery,
 *     retries and re-drives included;</li>
 * <li>{@code twitchtriage_delivery_attempt_seconds{outcome}}: one attempt's requests to the EHR,
 *     {@code outcome} {@code delivered}, {@code retry} or {@code refused}.</li>
 * </ul>
 * No tag carries a submission id or anything of a patient: tags have a handful of fixed values.
 *
 * <p>The three gauges read the outbox table, at most once per {@link #BACKLOG_TTL}, however often they are
 * scraped; {@link EhrHealthIndicator} shares the same {@link #backlog() snapshot}.
 */
public final class DeliveryMetrics {

    static final Duration BACKLOG_TTL = Duration.ofSeconds(5);

    /** Histogram buckets: a few that mean something, rather than dozens of generated ones per series. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1),
        Duration.ofHours(4),
        Duration.ofDays(1)
    };

    private static final Duration[] ATTEMPT_BUCKETS = {
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };

    private static final Logger log = LoggerFactory.getLogger(DeliveryMetrics.class);

    /** The outbox at one moment; counts are -1 and {@code oldestPending} null when it could not be read. */
    record Backlog(long pending, long failed, Instant oldestPending, Instant readAt) {

        boolean known() {
            return pending >= 0;
        }

        /** How long the oldest pending delivery has waited at {@code now}; zero when none is pending. */
        Duration oldestPendingAge(Instant now) {
            if (oldestPending == null) {
                return Duration.ZERO;
            }
            Duration age = Duration.between(oldestPending, now);
            return age.isNegative() ? Duration.ZERO : age;
        }
    }

    private final DeliveryRepository repository;
    private final Clock clock;
    private final Counter delivered;
    private final Counter retried;
    private final Counter refused;
    private final Counter exhausted;
    private final Timer latency;
    private final Timer attemptDelivered;
    private final Timer attemptRetry;
    private final Timer attemptRefused;
    private Backlog backlog;

    DeliveryMetrics(MeterRegistry registry, DeliveryRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        delivered = Counter.builder("twitchtriage.deliveries.delivered")
                .description("Submissions whose results the EHR accepted")
                .register(registry);
        retried = Counter.builder("twitchtriage.deliveries.retried")
                .description("Delivery attempts that failed in a way that may pass and were scheduled again")
                .register(registry);
        refused = failedCounter(registry, "refused");
        exhausted = failedCounter(registry, "exhausted");
        latency = Timer.builder("twitchtriage.delivery.latency")
                .description("Time from a submission's acceptance to its delivery to the EHR")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        attemptDelivered = attemptTimer(registry, "delivered");
        attemptRetry = attemptTimer(registry, "retry");
        attemptRefused = attemptTimer(registry, "refused");
        gauge(registry, "twitchtriage.deliveries.backlog", "Deliveries pending", null, Backlog::pending);
        gauge(
                registry,
                "twitchtriage.deliveries.parked",
                "Failed deliveries waiting for an operator's re-drive",
                null,
                Backlog::failed);
        gauge(
                registry,
                "twitchtriage.deliveries.backlog.age",
                "How long the oldest pending delivery has been waiting",
                "seconds",
                b -> b.oldestPendingAge(clock.instant()).toMillis() / 1000.0);
    }

    private static Counter failedCounter(MeterRegistry registry, String reason) {
        return Counter.builder("twitchtriage.deliveries.failed")
                .tag("reason", reason)
                .description("Deliveries parked as failed: refused by the EHR, or out of attempts")
                .register(registry);
    }

    private static Timer attemptTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("twitchtriage.delivery.attempt")
                .tag("outcome", outcome)
                .description("Duration of one delivery attempt's requests to the EHR")
                .serviceLevelObjectives(ATTEMPT_BUCKETS)
                .register(registry);
    }

    /** A gauge of the backlog snapshot; NaN while the outbox cannot be read. */
    private void gauge(
            MeterRegistry registry, String name, String description, String unit, ToDoubleFunction<Backlog> value) {
        Gauge.builder(name, this, metrics -> {
                    Backlog backlog = metrics.backlog();
                    return backlog.known() ? value.applyAsDouble(backlog) : Double.NaN;
                })
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    /** The attempt's requests to the EHR took {@code duration} and came to {@code result}. */
    void attempt(EhrClient.Result result, Duration duration) {
        Timer timer = result instanceof EhrClient.Delivered
                ? attemptDelivered
                : result instanceof EhrClient.Refused ? attemptRefused : attemptRetry;
        timer.record(duration);
    }

    /** @param latency from the submission's acceptance to now */
    void delivered(Duration latency) {
        delivered.increment();
        this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    void retried() {
        retried.increment();
    }

    void refused() {
        refused.increment();
    }

    void exhausted() {
        exhausted.increment();
    }

    /** The outbox's counts, read again only when the last reading is older than {@link #BACKLOG_TTL}. */
    synchronized Backlog backlog() {
        Instant now = clock.instant();
        if (backlog == null || !now.isBefore(backlog.readAt().plus(BACKLOG_TTL))) {
            backlog = read(now);
        }
        return backlog;
    }

    private Backlog read(Instant now) {
        try {
            return new Backlog(
                    repository.countByStatus(DeliveryStatus.PENDING),
                    repository.countByStatus(DeliveryStatus.FAILED),
                    repository.oldestPending(),
                    now);
        } catch (RuntimeException e) {
            log.warn("Could not read the delivery backlog: {}", Failures.describe(e));
            return new Backlog(-1, -1, null, now);
        }
    }
}
