package org.twitchtriage.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FileCompactionTest {

    @TempDir
    Path folder;

    private JdbcDataSource dataSource;

    @AfterEach
    void shutDown() throws SQLException {
        if (dataSource != null) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void movesLivePagesOutOfMostlyDeadPartsOfTheFileWithoutLosingARow() throws SQLException {
        // Written as the module writes: each commit stored at once, so H2 itself never compacts. No retention
        // time, so that the parts left behind are free at once and the fill rate shows it.
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        fillAndThinOut();
        int before = chunksFillRate();
        assertThat(before).isLessThan(H2FileCompaction.FILL_TARGET);

        H2FileCompaction compaction = new H2FileCompaction(dataSource, Duration.ofSeconds(1));
        int rounds = 0;
        while (compaction.compactOnce()) {
            rounds++;
            assertThat(rounds).isLessThan(500);
            otherCommit();
        }
        // H2 lets go of the parts of the file that compaction emptied at the commits after it.
        otherCommit();

        assertThat(rounds).isPositive();
        assertThat(chunksFillRate()).isGreaterThanOrEqualTo(H2FileCompaction.FILL_TARGET);
        assertThat(query("select count(*) from row_kept")).isEqualTo(1_000);
        assertThat(query("select sum(length(payload)) from row_kept")).isEqualTo(1_000 * 2_000);
        assertThat(query("select count(*) from row_kept where payload = repeat('x', 2000)"))
                .isEqualTo(1_000);
    }

    @Test
    void onceStartedItCompactsOnItsOwnUntilTheFileIsMostlyLive() throws Exception {
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        fillAndThinOut();
        H2FileCompaction compaction = new H2FileCompaction(dataSource, Duration.ofMillis(20));

        compaction.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (chunksFillRate() < H2FileCompaction.FILL_TARGET && System.nanoTime() < deadline) {
                otherCommit();
                Thread.sleep(20);
            }
        } finally {
            compaction.stop();
        }

        assertThat(chunksFillRate()).isGreaterThanOrEqualTo(H2FileCompaction.FILL_TARGET);
        assertThat(query("select count(*) from row_kept where payload = repeat('x', 2000)"))
                .isEqualTo(1_000);
    }

    @Test
    void anIntervalOfZeroTurnsItOff() throws Exception {
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        fillAndThinOut();
        H2FileCompaction compaction = new H2FileCompaction(dataSource, Duration.ZERO);

        compaction.start();
        try {
            for (int i = 0; i < 20; i++) {
                otherCommit();
                Thread.sleep(20);
            }
        } finally {
            compaction.stop();
        }

        assertThat(chunksFillRate()).isLessThan(H2FileCompaction.FILL_TARGET);
    }

    @Test
    void leavesChunksAloneUntilH2MayRewriteThem() throws SQLException {
        // H2's own retention time (45 s): every chunk just written is still kept as it is.
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        fillAndThinOut();
        int before = chunksFillRate();

        assertThat(before).isLessThan(H2FileCompaction.FILL_TARGET);
        // None of the chunks may be rewritten yet, so none counts against the target: no round starts.
        assertThat(rewritableFillRate()).isEqualTo(100);
        assertThat(new H2FileCompaction(dataSource, Duration.ofSeconds(1)).compactOnce())
                .isFalse();
        assertThat(chunksFillRate()).isEqualTo(before);
    }

    @Test
    void readsHowLiveTheChunksH2MayRewriteAre() throws SQLException {
        dataSource = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        fillAndThinOut();
        otherCommit();

        assertThat(rewritableFillRate()).isLessThan(H2FileCompaction.FILL_TARGET);
    }

    @Test
    void roundsAreSpacedToHoldH2AtMostAShareOfTheTime() {
        Duration second = Duration.ofSeconds(1);

        assertThat(H2FileCompaction.nextRoundMillis(second, false, Duration.ofMillis(2)))
                .isEqualTo(1_000);
        assertThat(H2FileCompaction.nextRoundMillis(second, true, Duration.ofMillis(2)))
                .isEqualTo(100);
        // A round of 30 ms is followed by 570 ms without one: 5% of the time.
        assertThat(H2FileCompaction.nextRoundMillis(second, true, Duration.ofMillis(30)))
                .isEqualTo(570);
        assertThat(H2FileCompaction.nextRoundMillis(second, false, Duration.ofMillis(100)))
                .isEqualTo(1_900);
    }

    @Test
    void leavesAnInMemoryDatabaseAlone() throws SQLException {
        dataSource = h2("jdbc:h2:mem:compaction;DB_CLOSE_DELAY=-1");
        fillAndThinOut();

        assertThat(new H2FileCompaction(dataSource, Duration.ofSeconds(1)).compactOnce())
                .isFalse();
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        return h2;
    }

    /** A thousand rows kept and four thousand written and deleted, each in a commit of its own. */
    private void fillAndThinOut() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("create table row_kept (id int primary key, payload varchar not null)");
                statement.execute("create table row_dropped (id int primary key, payload varchar not null)");
            }
            try (PreparedStatement kept = connection.prepareStatement("insert into row_kept values (?, ?)");
                    PreparedStatement dropped = connection.prepareStatement("insert into row_dropped values (?, ?)")) {
                for (int i = 0; i < 5_000; i++) {
                    PreparedStatement insert = i % 5 == 0 ? kept : dropped;
                    insert.setInt(1, i);
                    insert.setString(2, "x".repeat(2_000));
                    insert.executeUpdate();
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("delete from row_dropped");
            }
        }
    }

    private void otherCommit() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("insert into row_dropped values (-1, 'y')");
            statement.execute("delete from row_dropped where id = -1");
        }
    }

    /** What the compaction reads to decide whether to start a round. */
    private int rewritableFillRate() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SessionLocal session =
                    (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return H2FileCompaction.rewritableFillRate(
                    session.getDatabase().getStore().getMvStore());
        }
    }

    private int chunksFillRate() throws SQLException {
        return (int) query("select cast(setting_value as int) from information_schema.settings"
                + " where setting_name = 'info.CHUNKS_FILL_RATE'");
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
