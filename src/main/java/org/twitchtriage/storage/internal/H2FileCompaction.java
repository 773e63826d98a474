package org.twitchtriage.storage.internal;

import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps an H2 database file from growing without end.
 *
 * <p>H2 compacts its file only in its background writer: never with {@code WRITE_DELAY=0}, and not with the
 * default URL's {@code AUTO_COMPACT_FILL_RATE=0} (under load its rounds made the slowest requests slower).
 * Without compaction H2 never moves the pages still in use out of the parts of its file that are otherwise dead,
 * and those parts are never reused: under load the file grew by about 130 KB per submission, with less than a
 * fifth of it live. So this does it: every interval,
 * while less than {@value #FILL_TARGET}% of the file's chunks that H2 may rewrite (those older than its
 * retention time, 45 s) is live, it rewrites at most {@value #WRITE_LIMIT} bytes of live pages out of the
 * emptiest chunks and writes them at once (not as part of the next request's commit); while there is more to
 * move, the next round comes after a tenth of the interval. H2 reuses the chunks left behind once its retention
 * time has passed.
 *
 * <p>A round holds H2's store lock from start to end, and every commit waits for it meanwhile: under load a
 * round took 30 to 60 ms, and at ten rounds a second the requests' p99 latency rose by a third. So rounds are
 * spaced to hold the lock at most {@value #BUSY_PERCENT}% of the time: the next one comes no sooner than
 * {@code (100 / BUSY_PERCENT - 1)} times as long as this one took after it. How full the rewritable chunks are is
 * read without the lock, so that a round with nothing to move does not take it.
 *
 * <p>Only an H2 database file open in this process is compacted; PostgreSQL, an in-memory H2 or an H2 server
 * reached over the network are left alone. {@code storage.h2-compaction-interval=0} turns it off.
 */
@Component
class H2FileCompaction {

    static final int FILL_TARGET = 80;
    static final int WRITE_LIMIT = 1024 * 1024;
    static final int BUSY_PERCENT = 5;

    private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);

    private final DataSource dataSource;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    H2FileCompaction(DataSource dataSource, @Value("${storage.h2-compaction-interval:1s}") Duration interval) {
        this.dataSource = dataSource;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (interval.isZero() || interval.isNegative() || scheduler != null || !compactsAFile()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "h2-compaction");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.schedule(this::round, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("H2 database file: compacting every {} while less than {}% of it is live", interval, FILL_TARGET);
    }

    @PreDestroy
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private boolean compactsAFile() {
        try (Connection connection = dataSource.getConnection()) {
            return H2Files.fileStore(connection) != null;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** One round, then the next when {@link #nextRoundMillis} says. */
    private void round() {
        boolean behind = false;
        long started = System.nanoTime();
        try {
            behind = compactOnce();
        } catch (SQLException | RuntimeException e) {
            log.warn("H2 compaction round failed, tried again in {}: {}", interval, e.toString());
        }
        long next = nextRoundMillis(interval, behind, Duration.ofNanos(System.nanoTime() - started));
        synchronized (this) {
            if (scheduler != null) {
                scheduler.schedule(this::round, next, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * How long to wait for the next round: a tenth of the interval while there is more to move, else the
     * interval, and never less than keeps the rounds within {@link #BUSY_PERCENT}% of the time.
     */
    static long nextRoundMillis(Duration interval, boolean behind, Duration took) {
        long next = behind ? Math.max(1, interval.toMillis() / 10) : interval.toMillis();
        return Math.max(next, took.toMillis() * (100 / BUSY_PERCENT - 1));
    }

    /**
     * One round: rewrites live pages out of the emptiest chunks, if the chunks H2 may rewrite are less than
     * {@link #FILL_TARGET}% live, and writes them. True when it rewrote anything.
     */
    boolean compactOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = H2Files.fileStore(connection);
            if (store == null || store.isClosed() || rewritableFillRate(store) >= FILL_TARGET) {
                return false;
            }
            boolean rewritten = store.compact(FILL_TARGET, WRITE_LIMIT);
            if (rewritten) {
                store.commit();
            }
            return rewritten;
        }
    }

    /**
     * How much of the chunks H2 may rewrite is live, in per cent, read without H2's store lock (H2 reports it
     * among its settings, {@code info.CHUNKS_FILL_RATE_RW}); 100 when it does not say.
     */
    static int rewritableFillRate(MVStore store) {
        int[] rate = {100};
        store.populateInfo((name, value) -> {
            if ("info.CHUNKS_FILL_RATE_RW".equals(name)) {
                rate[0] = Integer.parseInt(value);
            }
        });
        return rate[0];
    }
}
