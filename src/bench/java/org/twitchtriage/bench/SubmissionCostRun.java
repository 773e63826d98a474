package org.twitchtriage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of a submission on each database, in one invocation: for H2 (a fresh file in a temporary folder)
 * and PostgreSQL (a fresh database on 127.0.0.1, dropped afterwards), it starts the packaged module as a
 * child process (development mode, rate limit off, loopback only), runs {@link SubmissionLoadRun} against
 * it (warm-up, then the measured requests), reads the child's CPU time from {@code /proc} around the measured
 * requests, stops it, and prints throughput, p50/p95/p99 and CPU per accepted submission for each; on H2 also
 * how many commits each write of the file served meanwhile (the module's group commit counters).
 *
 * <p>Options ({@code --name=value}, or {@code -Dbench.name=value}): {@code jar}
 * (target/twitch-triage-0.1.0-SNAPSHOT.jar, copied before starting so a build meanwhile cannot change it),
 * {@code databases} (h2,postgres), {@code port} (8189), {@code concurrency} (8), {@code requests} (20000),
 * {@code warmup} (5000 requests, not counted; then on in rounds of ten seconds until the child's JIT compiler
 * threads used less than {@code jit-settled}, 2, percent of its CPU in a round, which takes a few minutes on two
 * cores, or until {@code warmup-seconds}, 300, have passed), {@code max-seconds} (120, for the measured
 * requests), {@code postgres-url}
 * (jdbc:postgresql://127.0.0.1:5432/postgres, where the run creates and drops its database),
 * {@code postgres-user} (postgres, no password), {@code jfr} (a folder: the child records from its start, so the
 * JIT is not disturbed, and the recording is dumped there as {@code <database>.jfr} after the measured phase,
 * whose start and end the run prints), {@code jvm-args} and {@code app-args} (extra arguments for the child,
 * separated by commas), {@code h2-settings} (more settings for the H2 URL, such as {@code CACHE_SIZE=65536},
 * separated by commas; one the module's URL has, such as {@code WRITE_DELAY}, replaces it), {@code java} (the
 * {@code java} command the child runs on; the one running this benchmark unless told), {@code compare} (a second
 * jar: both are started on each database, a on {@code port} and b on the next, warmed one after the other, then
 * measured in turns, {@code rounds}, 6, pairs of rounds of {@code round-seconds}, 20, in the order a b, b a, ...;
 * it prints each round, the median of each jar's rounds and the median ratio of b's CPU per submission to a's
 * over the pairs, which a machine whose speed drifts leaves far steadier than runs one after the other;
 * {@code jfr} is not used then). The temporary folder (with the module's logs) is removed at the end. Exits 0 when every request on every database got 201.
 */
public final class SubmissionCostRun {

    private static final List<String> OPTIONS = List.of(
            "jar",
            "databases",
            "port",
            "concurrency",
            "requests",
            "warmup",
            "max-seconds",
            "warmup-seconds",
            "postgres-url",
            "postgres-user",
            "jfr",
            "jit-settled",
            "jvm-args",
            "app-args",
            "h2-settings",
            "java",
            "compare",
            "rounds",
            "round-seconds");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** The value of a counter in the answer of Spring Boot's metrics endpoint. */
    private static final Pattern COUNT = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.Ee+-]+)");

    private final RunOptions options;
    private final Path jar;
    private final Path other;
    private final int port;
    private final Path work;
    private final String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final HttpClient client = LoadClients.httpClient();

    private SubmissionCostRun(RunOptions options, Path jar, Path other, int port, Path work) {
        this.options = options;
        this.jar = jar;
        this.other = other;
        this.port = port;
        this.work = work;
    }

    /** One database's figures. */
    private record Figures(String database, SubmissionLoadRun.Measured measured, double cpuSeconds) {

        double cpuMillisPerSubmission() {
            int accepted = measured.completed() - measured.failures();
            return accepted == 0 ? Double.NaN : cpuSeconds * 1000 / accepted;
        }
    }

    public static void main(String[] args) throws Exception {
        SubmissionCostRun run;
        List<String> databases;
        try {
            RunOptions options = RunOptions.parse(args, OPTIONS, List.of());
            Path jar = Path.of(options.text("jar", "target/twitch-triage-0.1.0-SNAPSHOT.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no jar at " + jar.toAbsolutePath() + ": ./mvnw package first");
            }
            databases = Arrays.stream(options.text("databases", "h2,postgres").split(","))
                    .map(String::trim)
                    .toList();
            for (String database : databases) {
                if (!database.equals("h2") && !database.equals("postgres")) {
                    throw new IllegalArgumentException("databases takes h2 and postgres, not " + database);
                }
            }
            options.positiveInteger("concurrency", 8);
            options.positiveInteger("requests", 20000);
            options.nonNegative("warmup", 5000);
            options.positiveInteger("max-seconds", 120);
            options.positiveInteger("warmup-seconds", 300);
            options.nonNegative("jit-settled", 2);
            options.positiveInteger("rounds", 6);
            options.positiveInteger("round-seconds", 20);
            Path compared = options.text("compare", "").isEmpty() ? null : Path.of(options.text("compare", ""));
            if (compared != null && !Files.isRegularFile(compared)) {
                throw new IllegalArgumentException("no jar to compare at " + compared.toAbsolutePath());
            }
            Path work = Files.createTempDirectory("twitch-triage-cost-");
            Path copy = work.resolve("module.jar");
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            Path otherCopy = null;
            if (compared != null) {
                otherCopy = work.resolve("module-b.jar");
                Files.copy(compared, otherCopy, StandardCopyOption.REPLACE_EXISTING);
            }
            run = new SubmissionCostRun(options, copy, otherCopy, options.positiveInteger("port", 8189), work);
        } catch (IllegalArgumentException e) {
            System.err.println("SubmissionCostRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (run.other != null) {
            boolean passed = true;
            for (String database : databases) {
                passed &= run.compare(database);
            }
            run.clean();
            System.exit(passed ? 0 : 1);
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        boolean passed = true;
        for (String database : databases) {
            Figures measured = run.measure(database);
            figures.put(database, measured);
            passed &= measured.measured().passed();
        }
        run.summary(figures);
        run.clean();
        System.exit(passed ? 0 : 1);
    }

    /** Removes the temporary folder: the copied jar, the H2 files and the module's logs. */
    private void clean() throws IOException {
        try (var paths = Files.walk(work)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private Figures measure(String database) throws Exception {
        System.out.printf("%n== %s ==%n", database);
        List<String> dataSource = createDatabase(database, "");
        Process module = start(database, jar, port, dataSource);
        try {
            awaitReady(module, database, port);
            CpuMeter meter = new CpuMeter(module.pid());
            SubmissionLoadRun load = load(port, meter);
            Instant[] measuredFrom = new Instant[1];
            double[] groupCommitBefore = new double[2];
            SubmissionLoadRun.Measured measured = load.run(() -> {
                groupCommitBefore[0] = counter(port, "twitchtriage.storage.h2.commits");
                groupCommitBefore[1] = counter(port, "twitchtriage.storage.h2.writes");
                measuredFrom[0] = Instant.now();
                meter.lap();
            });
            CpuMeter.Lap lap = meter.lap();
            Instant measuredTo = Instant.now();
            if (database.equals("h2")) {
                double commits = counter(port, "twitchtriage.storage.h2.commits") - groupCommitBefore[0];
                double writes = counter(port, "twitchtriage.storage.h2.writes") - groupCommitBefore[1];
                if (Double.isNaN(commits) || Double.isNaN(writes)) {
                    System.out.println("h2 writes:  not counted by this jar");
                } else {
                    System.out.printf(
                            Locale.ROOT,
                            "h2 writes:  %.0f for %.0f commits (%.2f commits a write)%n",
                            writes,
                            commits,
                            writes > 0 ? commits / writes : Double.NaN);
                }
            }
            double jitShare = lap.jitShare();
            double cpuSeconds = lap.cpu() / (double) ticksPerSecond();
            dumpRecording(module, database, measuredFrom[0], measuredTo);
            Figures figures = new Figures(database, measured, cpuSeconds);
            System.out.printf(
                    Locale.ROOT,
                    "cpu:        %.1f s of the module's CPU, %.2f ms per accepted submission (JIT compiler %.1f%%)%n",
                    cpuSeconds,
                    figures.cpuMillisPerSubmission(),
                    100 * jitShare);
            return figures;
        } finally {
            stop(module);
            dropDatabase(database, "");
        }
    }

    /**
     * Two jars on one database, both started and warmed, then measured in turns: {@code rounds} pairs of rounds
     * of {@code round-seconds} each, in the order a b, b a, a b, ... so that what the machine does meanwhile
     * falls on both alike. Prints each round and, per jar, the median of its rounds, and the median of b's CPU
     * per submission divided by a's over the pairs. Returns whether every request got 201.
     */
    private boolean compare(String database) throws Exception {
        System.out.printf(
                "%n== %s: a %s, b %s ==%n",
                database, options.text("jar", "target/twitch-triage-0.1.0-SNAPSHOT.jar"), options.text("compare", ""));
        String[] names = {"a", "b"};
        Path[] jars = {jar, other};
        Process[] modules = new Process[2];
        CpuMeter[] meters = new CpuMeter[2];
        SubmissionLoadRun[] loads = new SubmissionLoadRun[2];
        int rounds = options.positiveInteger("rounds", 6);
        Duration roundTime = Duration.ofSeconds(options.positiveInteger("round-seconds", 20));
        List<List<Figures>> measured = List.of(new ArrayList<>(), new ArrayList<>());
        boolean passed = true;
        try {
            for (int i = 0; i < 2; i++) {
                modules[i] = start(database + "-" + names[i], jars[i], port + i, createDatabase(database, names[i]));
            }
            for (int i = 0; i < 2; i++) {
                awaitReady(modules[i], database + "-" + names[i], port + i);
                meters[i] = new CpuMeter(modules[i].pid());
                loads[i] = load(port + i, meters[i]);
                System.out.println("warming up " + names[i]);
                SubmissionLoadRun.Warmed warmed = loads[i].warm();
                if (warmed.aborted()) {
                    return false;
                }
                passed &= !warmed.someFailed();
            }
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    int i = round % 2 == 0 ? turn : 1 - turn;
                    CpuMeter meter = meters[i];
                    SubmissionLoadRun.Measured result = loads[i].round("r" + round, roundTime, meter::lap);
                    Figures figures = new Figures(
                            database + " " + names[i], result, meter.lap().cpu() / (double) ticksPerSecond());
                    measured.get(i).add(figures);
                    passed &= result.passed();
                    System.out.printf(
                            Locale.ROOT,
                            "round %d %s: %7.1f req/s  p50 %6.2f  p99 %6.2f ms  errors %d  cpu %.2f ms%n",
                            round + 1,
                            names[i],
                            result.throughput(),
                            result.millis(0.50),
                            result.millis(0.99),
                            result.failures(),
                            figures.cpuMillisPerSubmission());
                }
            }
        } finally {
            for (int i = 0; i < 2; i++) {
                if (modules[i] != null) {
                    stop(modules[i]);
                }
                dropDatabase(database, names[i]);
            }
        }
        System.out.printf(
                "%n%-11s %9s %8s %8s %10s   (median of %d rounds of %d s)%n",
                "jar", "req/s", "p50 ms", "p99 ms", "cpu ms/sub", rounds, roundTime.toSeconds());
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            ratios[round] = measured.get(1).get(round).cpuMillisPerSubmission()
                    / measured.get(0).get(round).cpuMillisPerSubmission();
        }
        for (int i = 0; i < 2; i++) {
            List<Figures> all = measured.get(i);
            System.out.printf(
                    Locale.ROOT,
                    "%-11s %9.1f %8.2f %8.2f %10.2f%n",
                    database + " " + names[i],
                    median(all, f -> f.measured().throughput()),
                    median(all, f -> f.measured().millis(0.50)),
                    median(all, f -> f.measured().millis(0.99)),
                    median(all, Figures::cpuMillisPerSubmission));
        }
        System.out.printf(
                Locale.ROOT,
                "b/a cpu per submission: median %.3f, %.3f to %.3f over %d pairs%n",
                median(ratios),
                Arrays.stream(ratios).min().orElseThrow(),
                Arrays.stream(ratios).max().orElseThrow(),
                rounds);
        return passed;
    }

    private static double median(List<Figures> rounds, ToDoubleFunction<Figures> figure) {
        return median(rounds.stream().mapToDouble(figure).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The load run against the module on {@code port}, warming up until its JIT compiler has settled. */
    private SubmissionLoadRun load(int port, CpuMeter meter) {
        double settledShare = options.nonNegative("jit-settled", 2) / 100.0;
        return new SubmissionLoadRun(
                        URI.create("http://127.0.0.1:" + port + "/fhir/QuestionnaireResponse"),
                        options.positiveInteger("concurrency", 8),
                        options.positiveInteger("requests", 20000),
                        options.nonNegative("warmup", 5000),
                        Duration.ofSeconds(options.positiveInteger("max-seconds", 120)),
                        Duration.ofSeconds(options.positiveInteger("warmup-seconds", 300)))
                .warmUntil(() -> {
                    double share = meter.lap().jitShare();
                    System.out.printf(
                            Locale.ROOT, "warm-up:    JIT compiler %.1f%% of the module's CPU%n", 100 * share);
                    return share < settledShare;
                });
    }

    /**
     * A fresh database for one module, as its command-line arguments: a PostgreSQL database {@code
     * bench_<run><suffix>}, or an H2 file in the folder {@code h2<suffix>} with the module's URL settings.
     */
    private List<String> createDatabase(String database, String suffix) throws SQLException {
        if (database.equals("postgres")) {
            String databaseName = "bench_" + runId + suffix;
            postgres("create database " + databaseName);
            String url = options.text("postgres-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
            return List.of(
                    "--spring.datasource.url=" + url.substring(0, url.lastIndexOf('/') + 1) + databaseName,
                    "--spring.datasource.username=" + options.text("postgres-user", "postgres"),
                    "--spring.datasource.password=");
        }
        // The module's default settings, each replaced by one of the same name in h2-settings.
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting :
                list("DB_CLOSE_ON_EXIT=FALSE,WRITE_DELAY=500,AUTO_COMPACT_FILL_RATE=0,QUERY_CACHE_SIZE=64,"
                        + options.text("h2-settings", ""))) {
            int equals = setting.indexOf('=');
            settings.put((equals < 0 ? setting : setting.substring(0, equals)).toUpperCase(Locale.ROOT), setting);
        }
        return List.of("--spring.datasource.url=jdbc:h2:file:" + work.resolve("h2" + suffix + "/twitch-triage") + ";"
                + String.join(";", settings.values()));
    }

    /** Drops what {@link #createDatabase} made on PostgreSQL; the H2 files go with the temporary folder. */
    private void dropDatabase(String database, String suffix) throws SQLException {
        if (database.equals("postgres")) {
            postgres("drop database if exists bench_" + runId + suffix + " with (force)");
        }
    }

    private Process start(String name, Path jar, int port, List<String> dataSource) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(
                options.text("java", ProcessHandle.current().info().command().orElse("java")));
        if (!options.text("jfr", "").isEmpty()) {
            // From the start: a recording started later makes the JIT compile much of the module again.
            command.add("-XX:StartFlightRecording=name=cost,settings=default");
        }
        command.addAll(list(options.text("jvm-args", "")));
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--fhir.rate-limit.enabled=false");
        command.addAll(dataSource);
        command.addAll(list(options.text("app-args", "")));
        Path log = work.resolve(name + ".log");
        System.out.println("module log: " + log);
        System.out.println("module runs on: " + command.get(0));
        return new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** A counter of the module's, from its metrics endpoint; NaN if it has none (an older jar) or cannot say. */
    private double counter(int port, String name) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher value = COUNT.matcher(response.body());
            return response.statusCode() == 200 && value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private void awaitReady(Process module, String name, int port) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!module.isAlive()) {
                throw new IllegalStateException(
                        "the module (" + name + ") exited with " + module.exitValue() + "; see its log");
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the module (" + name + ") was not ready within " + START_TIMEOUT);
    }

    private static void stop(Process module) throws InterruptedException {
        module.destroy();
        if (!module.waitFor(30, TimeUnit.SECONDS)) {
            module.destroyForcibly().waitFor();
        }
    }

    /** The measured phase of the recording the child has made since its start. */
    private void dumpRecording(Process module, String database, Instant from, Instant to) throws IOException {
        String folder = options.text("jfr", "");
        if (!folder.isEmpty()) {
            Path dir = Files.createDirectories(Path.of(folder)).toAbsolutePath();
            Path file = dir.resolve(database + ".jfr");
            jcmd(module, "JFR.dump", "name=cost", "begin=" + from, "end=" + to, "filename=" + file);
            System.out.printf(
                    "recording:  %s (measured from %s to %s UTC)%n",
                    file,
                    LocalTime.ofInstant(from, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
                    LocalTime.ofInstant(to, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private static void jcmd(Process module, String... command) {
        List<String> line = new ArrayList<>(List.of("jcmd", String.valueOf(module.pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                System.out.println("jcmd " + String.join(" ", command) + " failed");
            }
        } catch (IOException | InterruptedException e) {
            System.out.println("jcmd " + String.join(" ", command) + " failed: " + e);
        }
    }

    /**
     * The child's CPU time, all its threads, and its JIT compiler threads' ({@code C1/C2 CompilerThread}, those
     * alive when read), in clock ticks from {@code /proc} (Linux only); each lap is what was used since the last.
     */
    private static final class CpuMeter {

        record Lap(long cpu, long jit) {

            double jitShare() {
                return cpu <= 0 ? 0 : Math.min(1, Math.max(0, jit / (double) cpu));
            }
        }

        private final Path process;
        private long cpu;
        private long jit;

        CpuMeter(long pid) {
            this.process = Path.of("/proc/" + pid);
            lap();
        }

        Lap lap() {
            long cpuNow = ticks(process.resolve("stat"));
            long jitNow = 0;
            try (var tasks = Files.list(process.resolve("task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                            jitNow += ticks(task.resolve("stat"));
                        }
                    } catch (IOException | IllegalStateException ended) {
                        // The thread ended meanwhile.
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the module's threads from /proc (Linux only)", e);
            }
            Lap lap = new Lap(cpuNow - cpu, jitNow - jit);
            cpu = cpuNow;
            jit = jitNow;
            return lap;
        }

        /** User plus system time of a stat(5) file: fields 14 and 15, utime and stime. */
        private static long ticks(Path stat) {
            try {
                String text = Files.readString(stat);
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read CPU time from " + stat + " (Linux only)", e);
            }
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    private void postgres(String sql) throws SQLException {
        String url = options.text("postgres-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        SubmissionLoadRun.checkLoopback(URI.create("http://" + url.replaceFirst("^jdbc:postgresql://", "")));
        try (Connection connection = DriverManager.getConnection(url, options.text("postgres-user", "postgres"), "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void summary(Map<String, Figures> figures) {
        System.out.printf(
                "%n%-9s %9s %8s %8s %8s %8s %10s%n",
                "database", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "cpu ms/sub");
        figures.values()
                .forEach(f -> System.out.printf(
                        Locale.ROOT,
                        "%-9s %9.1f %8.2f %8.2f %8.2f %8d %10.2f%n",
                        f.database(),
                        f.measured().throughput(),
                        f.measured().millis(0.50),
                        f.measured().millis(0.95),
                        f.measured().millis(0.99),
                        f.measured().failures(),
                        f.cpuMillisPerSubmission()));
    }
}
