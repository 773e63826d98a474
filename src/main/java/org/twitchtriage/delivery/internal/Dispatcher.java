package org.twitchtriage.delivery.internal;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.PageRequest;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.fhir.Failures;

/**
 * Polls the outbox for due deliveries and sends them, at most {@code ehr.max-concurrency} at a time;
 * while there is a backlog, a finished delivery triggers the next poll at once instead of waiting for
 * {@code ehr.poll-interval}.
 * A delivery is claimed with a lease (compare-and-set on its row), so any number of instances sharing
 * the database send each one once; if an instance dies mid-delivery, its lease runs out and another
 * instance sends it again, which the EHR's conditional creates make harmless.
 */
public final class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryRepository repository;
    private final DeliveryWork work;
    private final CapabilitiesCheck capabilities;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final EhrProperties properties;
    private final Duration requestTimeout;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final Semaphore slots;
    private ScheduledExecutorService poller;
    private ExecutorService workers;
    private volatile boolean running;
    /** The last poll filled every free slot, so more may be due: poll again as soon as a slot frees. */
    private volatile boolean backlog;

    Dispatcher(
            DeliveryRepository repository,
            DeliveryWork work,
            CapabilitiesCheck capabilities,
            TransactionTemplate transaction,
            Clock clock,
            EhrProperties properties) {
        this.repository = repository;
        this.work = work;
        this.capabilities = capabilities;
        this.transaction = transaction;
        this.clock = clock;
        this.properties = properties;
        this.slots = new Semaphore(properties.maxConcurrency());
        this.requestTimeout = properties.requestTimeout();
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "ehr-dispatcher"));
        workers = Executors.newFixedThreadPool(properties.maxConcurrency(), r -> thread(r, "ehr-delivery"));
        poller.scheduleWithFixedDelay(
                this::pollSafely, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        running = true;
        log.info(
                "Delivering results to the EHR at {} ({} mode, up to {} at a time)",
                properties.baseUrl(),
                properties.mode().name().toLowerCase(),
                properties.maxConcurrency());
    }

    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(properties.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.error("Polling the delivery outbox failed: {}", Failures.describe(e));
        }
    }

    private void poll() {
        int free = slots.availablePermits();
        if (free == 0) {
            return;
        }
        Optional<CapabilitiesCheck.Support> support = capabilities.support();
        if (support.isEmpty()) {
            return; // auto mode without the EHR's CapabilityStatement: nothing is claimed, everything waits
        }
        Duration lease = lease(support.get());
        Instant now = clock.instant();
        List<String> due = repository.findDue(now, PageRequest.of(0, free));
        backlog = due.size() == free;
        for (String key : due) {
            if (!slots.tryAcquire()) {
                return;
            }
            Integer claimed = transaction.execute(status -> repository.claim(key, owner, now.plus(lease), now));
            if (claimed == null || claimed == 0) {
                slots.release();
                continue;
            }
            workers.execute(() -> {
                try {
                    work.deliver(key);
                } catch (RuntimeException e) {
                    log.error("Delivering {} failed unexpectedly: {}", key, Failures.describe(e));
                } finally {
                    slots.release();
                    if (backlog && running) {
                        poller.execute(this::pollSafely);
                    }
                }
            });
        }
    }

    /**
     * Long enough for every request of one delivery to time out, twice over (a token request, a 401 retry): one
     * transaction, or up to 16 requests one by one.
     */
    private Duration lease(CapabilitiesCheck.Support support) {
        int requests = support.transaction() ? 1 : 16;
        return requestTimeout.multipliedBy(requests * 2L).plusSeconds(5);
    }

    private static Thread thread(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
