package org.twitchtriage.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.TransactionExecution;

class H2GroupCommitTest {

    @TempDir
    Path folder;

    private final ExecutorService threads = Executors.newFixedThreadPool(3);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private JdbcDataSource dataSource;

    @AfterEach
    void shutDown() throws SQLException {
        threads.shutdownNow();
        if (dataSource != null) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void oneWriteServesEveryCommitMadeWhileTheWriteBeforeItWasUnderWay() throws Exception {
        H2GroupCommit groupCommit = new H2GroupCommit(new JdbcDataSource(), registry);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        Runnable write = () -> {
            if (writes.incrementAndGet() == 1) {
                firstStarted.countDown();
                awaitQuietly(releaseFirst);
            }
        };

        Future<?> first = threads.submit(() -> groupCommit.awaitWritten(write));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> second = threads.submit(() -> groupCommit.awaitWritten(write));
        Future<?> third = threads.submit(() -> groupCommit.awaitWritten(write));
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.ticketsIssued() == 3);
        // The write under way began before their commits: it does not count for them.
        assertThat(second.isDone()).isFalse();
        assertThat(third.isDone()).isFalse();

        releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        third.get(10, TimeUnit.SECONDS);

        assertThat(writes).hasValue(2);
        assertThat(groupCommit.writes()).isEqualTo(2);
        assertThat(registry.get("twitchtriage.storage.h2.commits")
                        .functionCounter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("twitchtriage.storage.h2.writes")
                        .functionCounter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aWriteThatFailsThrowsToItsWriterAndAWaitingCommitMakesTheNextOne() throws Exception {
        H2GroupCommit groupCommit = new H2GroupCommit(new JdbcDataSource(), registry);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch failFirst = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        Runnable write = () -> {
            if (writes.incrementAndGet() == 1) {
                firstStarted.countDown();
                awaitQuietly(failFirst);
                throw new IllegalStateException("disk full");
            }
        };

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> groupCommit.awaitWritten(write), threads);
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> second = threads.submit(() -> groupCommit.awaitWritten(write));
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.ticketsIssued() == 2);

        failFirst.countDown();
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
        second.get(10, TimeUnit.SECONDS);

        assertThat(writes).hasValue(2);
        assertThat(groupCommit.writes()).isEqualTo(1);
    }

    @Test
    void aCommittedTransactionIsInTheFileWhenItsCommitReturns() throws SQLException {
        // H2 left to itself would not write for a minute.
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=60000;DB_CLOSE_DELAY=-1");
        H2GroupCommit groupCommit = new H2GroupCommit(dataSource, registry);
        groupCommit.afterSingletonsInstantiated();
        MVStore store = store();

        execute("create table kept (id int primary key)");
        groupCommit.afterCommit(new Committed(false, true), null);
        execute("insert into kept values (1)");
        assertThat(store.hasUnsavedChanges()).isTrue();

        groupCommit.afterCommit(new Committed(false, true), null);

        assertThat(store.hasUnsavedChanges()).isFalse();
        assertThat(groupCommit.writes()).isEqualTo(2);
    }

    @Test
    void nothingIsWrittenForAReadOnlyTransactionAJoinedOneOrACommitThatFailed() throws SQLException {
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=60000;DB_CLOSE_DELAY=-1");
        H2GroupCommit groupCommit = new H2GroupCommit(dataSource, registry);
        MVStore store = store();
        execute("create table kept (id int primary key)");

        groupCommit.afterCommit(new Committed(true, true), null);
        groupCommit.afterCommit(new Committed(false, false), null);
        groupCommit.afterCommit(new Committed(false, true), new IllegalStateException("commit failed"));

        assertThat(store.hasUnsavedChanges()).isTrue();
        assertThat(groupCommit.writes()).isZero();
    }

    @Test
    void leavesADatabaseThatIsNotAFileInThisProcessAlone() throws SQLException {
        dataSource = h2("jdbc:h2:mem:group-commit;DB_CLOSE_DELAY=-1");
        H2GroupCommit groupCommit = new H2GroupCommit(dataSource, registry);
        groupCommit.afterSingletonsInstantiated();
        execute("create table kept (id int primary key)");

        groupCommit.afterCommit(new Committed(false, true), null);

        assertThat(groupCommit.writes()).isZero();
    }

    private record Committed(boolean isReadOnly, boolean isNewTransaction) implements TransactionExecution {}

    private MVStore store() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return H2Files.fileStore(connection);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL(url);
        source.setUser("sa");
        return source;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
