package org.twitchtriage.storage.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * On an H2 database file, every transaction the module commits is in the file before the thread that committed
 * it goes on (before a submission is answered 201, say), and one write of the file serves all the transactions
 * committed while the previous write was under way (group commit).
 *
 * <p>H2 writes the pages a commit changed, and every page above them up to the root of each table and index,
 * whole. Told to write at every commit ({@code WRITE_DELAY=0}), it did so once for every one or two
 * submissions, and writing pages was half of a submission's CPU; the pages holding the newest rows of each table
 * were written again at every commit with the rows already in them. Here H2 commits in memory (the URL's
 * {@code WRITE_DELAY} is its background writer's interval, a fallback), and after each commit of a transaction
 * that may have written anything, the committing thread takes a ticket and waits until a write of the file that
 * began after its commit has ended. If none is under way it makes that write itself, for every ticket handed
 * out so far; threads that commit meanwhile wait for the next one, which one of them makes for all. A write that
 * fails throws to the thread that made it, and a thread that was waiting for it makes the next one, so no caller
 * goes on as if its data were in the file when it is not.
 *
 * <p>This holds whatever the URL's {@code WRITE_DELAY} says. PostgreSQL, an in-memory H2 or an H2 server
 * reached over the network are left alone: their commits are the database's business. The commits waited for
 * and the writes made are counted ({@code twitchtriage.storage.h2.commits}, {@code twitchtriage.storage.h2.writes}):
 * their ratio is how many commits a write served.
 */
@Component
class H2GroupCommit implements TransactionExecutionListener, SmartInitializingSingleton {

    private final DataSource dataSource;
    private final Object lock = new Object();

    /** The H2 file's store; null until known, or when the database is not an H2 file open in this process. */
    private volatile MVStore store;

    private volatile boolean resolved;
    private long ticketsIssued;
    private long ticketsWritten;
    private boolean writing;
    private long writes;

    H2GroupCommit(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        FunctionCounter.builder("twitchtriage.storage.h2.commits", this, H2GroupCommit::ticketsIssued)
                .description("Commits on the H2 file that waited for a write of it")
                .register(registry);
        FunctionCounter.builder("twitchtriage.storage.h2.writes", this, H2GroupCommit::writes)
                .description("Writes of the H2 file made for the commits waiting for them")
                .register(registry);
    }

    @Override
    public void afterSingletonsInstantiated() {
        fileStore();
    }

    @Override
    public void afterCommit(TransactionExecution transaction, @Nullable Throwable commitFailure) {
        if (commitFailure != null || !transaction.isNewTransaction() || transaction.isReadOnly()) {
            return;
        }
        MVStore fileStore = fileStore();
        if (fileStore != null) {
            awaitWritten(fileStore::commit);
        }
    }

    /** Returns once a {@code write} that began after this call has ended, making it if none is under way. */
    void awaitWritten(Runnable write) {
        boolean interrupted = false;
        try {
            long ticket;
            synchronized (lock) {
                ticket = ++ticketsIssued;
            }
            while (true) {
                long covered;
                synchronized (lock) {
                    while (writing && ticketsWritten < ticket) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // The commit is made; only its write can still be waited for, so wait for it.
                            interrupted = true;
                        }
                    }
                    if (ticketsWritten >= ticket) {
                        return;
                    }
                    writing = true;
                    covered = ticketsIssued;
                }
                boolean written = false;
                try {
                    write.run();
                    written = true;
                } finally {
                    synchronized (lock) {
                        writing = false;
                        if (written) {
                            ticketsWritten = Math.max(ticketsWritten, covered);
                            writes++;
                        }
                        lock.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many commits have asked for a write so far. */
    long ticketsIssued() {
        synchronized (lock) {
            return ticketsIssued;
        }
    }

    /** How many writes this has made (and ended without an error). */
    long writes() {
        synchronized (lock) {
            return writes;
        }
    }

    private MVStore fileStore() {
        MVStore known = store;
        if (known != null && !known.isClosed()) {
            return known;
        }
        if (resolved && known == null) {
            return null;
        }
        synchronized (this) {
            try (Connection connection = dataSource.getConnection()) {
                store = H2Files.fileStore(connection);
                resolved = true;
            } catch (SQLException | RuntimeException e) {
                // Not reachable yet: asked again at the next commit.
                return null;
            }
            return store;
        }
    }
}
