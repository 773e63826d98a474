package org.twitchtriage.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.twitchtriage.TwitchTriageApplication;
import org.twitchtriage.bench.LoadClients.Phase;
import org.twitchtriage.testing.ChecklistResponses;

/**
 * Throughput of the write-back to the EHR: starts a WireMock EHR on a loopback port that answers every
 * {@code POST /fhir} transaction with a transaction-response Bundle after a fixed delay, starts the module
 * in this JVM on a fresh database (an H2 file in a new directory under the temporary directory, or a new
 * schema of the local PostgreSQL), submits responses over HTTP and measures how fast the dispatcher
 * delivers them. Talks only to loopback addresses.
 *
 * <p>Two modes. {@code backlog} (default) isolates delivery: the dispatcher is stopped (through its
 * {@link Lifecycle}) while all responses are submitted, then started again, and the run times how long it
 * takes to drain the outbox. {@code live} keeps the dispatcher running while the responses are submitted,
 * as in production, and measures end to end. Both modes first submit and deliver {@code warmup} responses
 * that are not counted.
 *
 * <p>What is reported:
 * <ul>
 * <li>intake: submissions accepted (201) per second, from the first request sent to the last answer;</li>
 * <li>drain rate (backlog mode; the headline figure): measured deliveries divided by the time from the
 *     dispatcher's start to the {@code delivered_at} of the last of them;</li>
 * <li>end-to-end rate (live mode; the headline figure): measured deliveries divided by the time from the
 *     first submission to the last {@code delivered_at};</li>
 * <li>sustained rate: requests the EHR received between the 10th and the 90th percentile of its arrival
 *     times, per second of that span (no start-up or tail);</li>
 * <li>evidence of what limits it: the module's attempt timer, how the EHR's requests bunch up per poll,
 *     the ceiling that the poll interval puts on the rate, CPU use of this JVM and of the whole machine, and
 *     where the delivery threads spend their time (stack samples of {@code ehr-delivery} and
 *     {@code ehr-dispatcher}).</li>
 * </ul>
 *
 * <p>Options, as {@code --name=value} arguments (through Maven: inside {@code -Dbench.args="..."}) or as
 * {@code -Dbench.name=value} system properties of this JVM: {@code requests} (2000), {@code warmup} (200),
 * {@code clients} (8, concurrent submitters), {@code max-concurrency} (8, {@code ehr.max-concurrency}),
 * {@code poll-interval} (20ms, {@code ehr.poll-interval}), {@code ehr-latency} (5ms), {@code mode}
 * ({@code backlog} or {@code live}), {@code max-seconds} (180, for the whole run after start-up),
 * {@code sample-interval} (10ms between stack samples; 0 turns sampling off) and the flag {@code --postgres}
 * (PostgreSQL at 127.0.0.1:5432, database {@code test}, user {@code postgres}, instead of H2).
 * Exits 0 when every measured response was accepted and delivered once, 1 when any submission or
 * delivery failed or the time ran out, 2 on bad options.
 */
public final class DeliveryThroughputRun {

    private static final String IDENTIFIER_SYSTEM = "urn:twitchtriage:delivery-run";
    private static final String ID_TOKEN = "DELIVERYRUNIDENTIFIERTOKEN";
    private static final String SUBJECT_TOKEN = "DELIVERYRUNSUBJECTTOKEN";
    private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_USER = "postgres";
    private static final List<String> OPTIONS = List.of(
            "requests",
            "warmup",
            "clients",
            "max-concurrency",
            "poll-interval",
            "ehr-latency",
            "mode",
            "max-seconds",
            "sample-interval",
            "postgres");
    private static final int SHOWN_FAILURES = 5;

    private final Settings settings;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private long deadline = Long.MAX_VALUE;
    private final List<String> templates =
            ResponseJson.templates(variants(), IDENTIFIER_SYSTEM, ID_TOKEN, SUBJECT_TOKEN);
    private final HttpClient client = LoadClients.httpClient();
    private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
    private final Ehr ehr = new Ehr();

    private DeliveryThroughputRun(Settings settings) {
        this.settings = settings;
    }

    record Settings(
            int requests,
            int warmup,
            int clients,
            int maxConcurrency,
            Duration pollInterval,
            Duration ehrLatency,
            String mode,
            int maxSeconds,
            Duration sampleInterval,
            boolean postgres) {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            RunOptions options = RunOptions.parse(args, OPTIONS, List.of("postgres"));
            settings = new Settings(
                    options.positive("requests", 2000),
                    options.nonNegative("warmup", 200),
                    options.positive("clients", 8),
                    options.positive("max-concurrency", 8),
                    options.duration("poll-interval", "20ms"),
                    options.duration("ehr-latency", "5ms"),
                    options.text("mode", "backlog"),
                    options.positive("max-seconds", 180),
                    options.duration("sample-interval", "10ms"),
                    options.flag("postgres"));
            if (!settings.mode().equals("backlog") && !settings.mode().equals("live")) {
                throw new IllegalArgumentException("mode must be backlog or live, not " + settings.mode());
            }
            if (settings.maxConcurrency() > 64) {
                throw new IllegalArgumentException("max-concurrency is at most 64 (the module's limit)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("DeliveryThroughputRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new DeliveryThroughputRun(settings).run() ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private boolean run() throws Exception {
        Path directory = null;
        String schema = null;
        List<String> arguments = new ArrayList<>();
        String database;
        if (settings.postgres()) {
            schema = "delivery_run_" + runId;
            postgres("create schema " + schema);
            arguments.addAll(List.of(
                    "--spring.datasource.url=" + POSTGRES_URL + "?currentSchema=" + schema,
                    "--spring.datasource.username=" + POSTGRES_USER,
                    "--spring.datasource.password=",
                    "--spring.flyway.schemas=" + schema));
            database = "PostgreSQL " + POSTGRES_URL + ", schema " + schema;
        } else {
            directory = Files.createTempDirectory("delivery-run-");
            String url = "jdbc:h2:file:" + directory.resolve("db")
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=500;AUTO_COMPACT_FILL_RATE=0;QUERY_CACHE_SIZE=64";
            arguments.add("--spring.datasource.url=" + url);
            database = "H2 " + url;
        }
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(Math.max(24, settings.maxConcurrency() + 16))
                .disableRequestJournal()
                .extensions(ehr));
        ConfigurableApplicationContext app = null;
        try {
            server.start();
            server.stubFor(post(urlPathEqualTo("/fhir"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withFixedDelay(
                                    Math.toIntExact(settings.ehrLatency().toMillis()))
                            .withTransformers(Ehr.NAME)));
            String ehrBase = "http://127.0.0.1:" + server.port() + "/fhir";
            arguments.addAll(List.of(
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--spring.main.banner-mode=off",
                    "--ehr.base-url=" + ehrBase,
                    "--ehr.poll-interval=" + settings.pollInterval().toMillis() + "ms",
                    "--ehr.max-concurrency=" + settings.maxConcurrency(),
                    // The submitting clients are one address; the rate limit would throttle them.
                    "--fhir.rate-limit.enabled=false"));
            app = new SpringApplicationBuilder(TwitchTriageApplication.class).run(arguments.toArray(String[]::new));
            String base = "http://127.0.0.1:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort() + "/fhir";
            System.out.printf(
                    Locale.ROOT,
                    "%nrun %s: %s mode, %d responses (+%d warm-up) from %d clients%n",
                    runId,
                    settings.mode(),
                    settings.requests(),
                    settings.warmup(),
                    settings.clients());
            System.out.printf(
                    Locale.ROOT,
                    "module:     %s, ehr.max-concurrency=%d, ehr.poll-interval=%d ms%n",
                    database,
                    settings.maxConcurrency(),
                    settings.pollInterval().toMillis());
            System.out.printf(
                    Locale.ROOT,
                    "EHR:        WireMock POST %s, %d ms fixed delay%n",
                    ehrBase,
                    settings.ehrLatency().toMillis());
            deadline = System.nanoTime()
                    + Duration.ofSeconds(settings.maxSeconds()).toNanos();
            return measure(app, base);
        } finally {
            if (app != null) {
                app.close();
            }
            server.stop();
            if (schema != null) {
                postgres("drop schema if exists " + schema + " cascade");
            }
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /** The run proper, on a started module, bounded by {@link #deadline}. */
    private boolean measure(ConfigurableApplicationContext app, String base) throws Exception {
        Lifecycle dispatcher = app.getBean("dispatcher", Lifecycle.class);
        DataSource dataSource = app.getBean(DataSource.class);
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        boolean backlog = settings.mode().equals("backlog");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        // One submission alone first (the first one also stores the module's shared Device), then the
        // warm-up: both paths through the JIT, not counted.
        int unmeasured = 1 + settings.warmup();
        Phase prime = submit(base, "p", 1, 1);
        Phase warm = submit(base, "w", settings.warmup(), settings.clients());
        if (prime.failures.get() + warm.failures.get() > 0) {
            System.out.printf(
                    "warm-up:    %d of %d submissions failed%n",
                    prime.failures.get() + warm.failures.get(), unmeasured);
            failureSamples.forEach(sample -> System.out.println("failure:    " + sample));
            return false;
        }
        Counts warmed = waitForDeliveries(dataSource, unmeasured, OffsetDateTime.MIN);
        if (warmed.delivered < unmeasured) {
            System.out.printf(
                    "warm-up:    only %d of %d delivered before the time limit %s%n",
                    warmed.delivered, unmeasured, warmed);
            return false;
        }
        if (backlog) {
            dispatcher.stop();
        }
        ehr.reset();

        Meters before = Meters.read(registry);
        long cpuBefore = processCpuNanos();
        long[] systemBefore = systemCpu();
        Instant phaseStart = Instant.now();
        long phaseStartNanos = System.nanoTime();
        Sampler sampler = new Sampler(threads, settings.sampleInterval());
        if (!backlog) {
            sampler.start();
        }
        Phase intake = submit(base, "m", settings.requests(), settings.clients());
        int accepted = intake.completed.get() - intake.failures.get();
        Instant drainStart = phaseStart;
        long drainStartNanos = phaseStartNanos;
        long drainCpuBefore = cpuBefore;
        long[] drainSystemBefore = systemBefore;
        if (backlog) {
            drainStart = Instant.now();
            drainStartNanos = System.nanoTime();
            drainCpuBefore = processCpuNanos();
            drainSystemBefore = systemCpu();
            sampler.start();
            dispatcher.start();
        }
        // Every unmeasured delivery was recorded before the measured phase began.
        OffsetDateTime since = drainStart.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
        Counts counts = waitForDeliveries(dataSource, unmeasured + accepted, since);
        long endNanos = System.nanoTime();
        sampler.stop();
        long cpuAfter = processCpuNanos();
        long[] systemAfter = systemCpu();
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Meters after = Meters.read(registry);

        // Intake.
        double intakeSeconds = intake.elapsedNanos / 1e9;
        long[] latencies = intake.sortedLatencies();
        System.out.printf(
                Locale.ROOT,
                "machine:    %d cores, load average %.2f before, %.2f after%n",
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAfter);
        System.out.printf(
                Locale.ROOT,
                "intake:     %d submitted, %d accepted in %.2f s by %d clients: %.1f submissions/s"
                        + " (latency ms p50 %.1f p95 %.1f p99 %.1f)%s%n",
                intake.completed.get(),
                accepted,
                intakeSeconds,
                settings.clients(),
                accepted / intakeSeconds,
                LoadClients.millis(latencies, 0.50),
                LoadClients.millis(latencies, 0.95),
                LoadClients.millis(latencies, 0.99),
                backlog ? ", dispatcher stopped" : ", dispatcher running");
        failureSamples.forEach(sample -> System.out.println("failure:    " + sample));

        // Delivery.
        long[] arrivals = ehr.arrivals();
        int duplicates = arrivals.length - ehr.distinctSubmissions();
        System.out.printf(
                Locale.ROOT,
                "delivery:   %d of %d delivered, %d failed, %d still pending; %d retried attempts;"
                        + " EHR got %d requests for %d submissions%n",
                counts.measuredDelivered,
                accepted,
                counts.failed,
                counts.pending,
                Math.round(after.retried - before.retried),
                arrivals.length,
                ehr.distinctSubmissions());
        double headline = Double.NaN;
        if (counts.lastDelivered != null && counts.measuredDelivered > 0) {
            double seconds = Duration.between(drainStart, counts.lastDelivered.toInstant())
                            .toNanos()
                    / 1e9;
            headline = counts.measuredDelivered / seconds;
            if (backlog) {
                System.out.printf(
                        Locale.ROOT,
                        "drain:      %.2f s from the dispatcher's start to the last delivered_at:"
                                + " %.1f deliveries/s%n",
                        seconds,
                        headline);
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "end-to-end: %.2f s from the first submission to the last delivered_at:"
                                + " %.1f deliveries/s (intake took %.2f s of it)%n",
                        seconds,
                        headline,
                        intakeSeconds);
            }
        }
        if (arrivals.length >= 10) {
            int low = arrivals.length / 10;
            int high = arrivals.length * 9 / 10;
            double span = (arrivals[high] - arrivals[low]) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "sustained:  %.1f deliveries/s (EHR requests %d..%d of %d, over %.2f s)%n",
                    (high - low) / span,
                    low,
                    high,
                    arrivals.length,
                    span);
            System.out.printf(
                    Locale.ROOT,
                    "EHR first:  %.0f ms after the %s%n",
                    (arrivals[0] - drainStartNanos) / 1e6,
                    backlog ? "dispatcher's start" : "first submission");
        }

        // Evidence of what limits it.
        long attempts = after.attemptCount - before.attemptCount;
        if (attempts > 0) {
            double meanAttempt = (after.attemptNanos - before.attemptNanos) / 1e6 / attempts;
            System.out.printf(
                    Locale.ROOT,
                    "attempt:    mean %.2f ms per delivered attempt (module's twitchtriage.delivery.attempt:"
                            + " bundle, JSON, HTTP to the EHR, reply); EHR stub %.2f ms CPU per request%n",
                    meanAttempt,
                    ehr.meanCpuMillis());
            double slotSeconds = settings.maxConcurrency() * ((endNanos - drainStartNanos) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "slots:      attempts filled %.0f%% of the %d slots' time%n",
                    100.0 * attempts * meanAttempt / 1000.0 / slotSeconds,
                    settings.maxConcurrency());
        }
        Bursts bursts =
                Bursts.of(arrivals, Math.max(1_000_000L, settings.pollInterval().toNanos() / 2));
        if (bursts.count > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "bursts:     EHR requests came in %d bursts (a gap over %.0f ms splits them) of mean %.2f requests,"
                            + " one every %.1f ms%n",
                    bursts.count,
                    Math.max(1_000_000L, settings.pollInterval().toNanos() / 2) / 1e6,
                    bursts.meanSize,
                    bursts.meanPeriodMillis);
        }
        double ceiling = settings.maxConcurrency() / (settings.pollInterval().toNanos() / 1e9);
        System.out.printf(
                Locale.ROOT,
                "ceiling:    %.0f deliveries/s = max-concurrency / poll-interval (a slot is refilled at most once"
                        + " per poll)%n",
                ceiling);
        double wall = (endNanos - drainStartNanos) / 1e9;
        double processCores = (cpuAfter - drainCpuBefore) / 1e9 / wall;
        String machine = "";
        if (systemAfter != null && drainSystemBefore != null) {
            long total = systemAfter[0] - drainSystemBefore[0];
            long busy = systemAfter[1] - drainSystemBefore[1];
            machine = String.format(
                    Locale.ROOT, "; all processes %.0f%% of the machine's CPU", 100.0 * busy / Math.max(1, total));
        }
        System.out.printf(
                Locale.ROOT,
                "cpu:        this JVM %.2f cores (%.0f%% of %d) while %s%s%n",
                processCores,
                100 * processCores / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(),
                backlog ? "draining" : "submitting and delivering",
                machine);
        sampler.report();
        boolean complete = counts.measuredDelivered == accepted
                && counts.failed == 0
                && counts.pending == 0
                && intake.failures.get() == 0
                && intake.completed.get() == settings.requests();
        System.out.printf(
                Locale.ROOT,
                "RESULT %s: %s max-concurrency=%d poll-interval=%dms database=%s:"
                        + " %.1f deliveries/s, intake %.1f submissions/s%s%n",
                runId,
                settings.mode(),
                settings.maxConcurrency(),
                settings.pollInterval().toMillis(),
                settings.postgres() ? "postgres" : "h2",
                headline,
                accepted / intakeSeconds,
                complete ? "" : " (INCOMPLETE)");
        if (duplicates > 0) {
            System.out.printf("note:       %d submissions reached the EHR more than once%n", duplicates);
        }
        return complete;
    }

    /** Sends {@code count} submissions from {@code clients} threads; stops early at the deadline. */
    private Phase submit(String base, String prefix, int count, int clients) throws InterruptedException {
        URI endpoint = URI.create(base + "/QuestionnaireResponse");
        return LoadClients.run(count, clients, deadline, "delivery-run-client-", n -> send(endpoint, prefix, n));
    }

    /** Latency in nanoseconds of one submission, negated when it did not return 201. */
    private long send(URI endpoint, String prefix, int n) {
        String body = templates
                .get(n % templates.size())
                .replace(ID_TOKEN, runId + "-" + prefix + n)
                .replace(SUBJECT_TOKEN, "synthetic-" + (n % 997));
        return LoadClients.send(
                client,
                LoadClients.post(endpoint, body),
                (response, error) -> fail(
                        response != null
                                ? "HTTP " + response.statusCode() + ": " + response.body()
                                : error instanceof IOException
                                        ? error.getClass().getSimpleName() + ": " + error.getMessage()
                                        : "interrupted"));
    }

    private void fail(String detail) {
        if (failureSamples.size() < SHOWN_FAILURES) {
            String shown = detail.length() > 400 ? detail.substring(0, 400) + "..." : detail;
            failureSamples.add(shown.replaceAll("\\s+", " "));
        }
    }

    /** The outbox's counts at one moment, and the last delivery since {@code since}. */
    record Counts(long delivered, long pending, long failed, long measuredDelivered, OffsetDateTime lastDelivered) {}

    /**
     * Polls the outbox every 20 ms until nothing is pending and {@code expected} are delivered or failed,
     * or the deadline passes.
     */
    private Counts waitForDeliveries(DataSource dataSource, long expected, OffsetDateTime since) throws Exception {
        Counts counts;
        while (true) {
            counts = counts(dataSource, since);
            if (counts.pending == 0 && counts.delivered + counts.failed >= expected) {
                return counts;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("time limit: stopped waiting for deliveries");
                return counts;
            }
            Thread.sleep(20);
        }
    }

    private static Counts counts(DataSource dataSource, OffsetDateTime since) throws SQLException {
        Map<String, Long> byStatus = new TreeMap<>();
        long measured = 0;
        OffsetDateTime last = null;
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select status, count(*) from delivery group by status")) {
                while (rows.next()) {
                    byStatus.put(rows.getString(1), rows.getLong(2));
                }
            }
            if (!since.equals(OffsetDateTime.MIN)) {
                try (PreparedStatement statement = connection.prepareStatement("select count(*), max(delivered_at)"
                        + " from delivery where status = 'DELIVERED' and delivered_at >= ?")) {
                    statement.setObject(1, since);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        measured = rows.getLong(1);
                        last = rows.getObject(2, OffsetDateTime.class);
                    }
                }
            }
        }
        return new Counts(
                byStatus.getOrDefault("DELIVERED", 0L),
                byStatus.getOrDefault("PENDING", 0L),
                byStatus.getOrDefault("FAILED", 0L),
                measured,
                last);
    }

    /** The module's delivery meters at one moment. */
    record Meters(long attemptCount, double attemptNanos, double retried) {

        static Meters read(MeterRegistry registry) {
            Timer timer = registry.find("twitchtriage.delivery.attempt")
                    .tag("outcome", "delivered")
                    .timer();
            Counter retried = registry.find("twitchtriage.deliveries.retried").counter();
            return new Meters(
                    timer == null ? 0 : timer.count(),
                    timer == null ? 0 : timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS),
                    retried == null ? 0 : retried.count());
        }
    }

    /**
     * The EHR's side: answers a transaction with a transaction-response naming a new id for every entry,
     * and records when each request arrived, which submission it carried and the CPU it cost to answer.
     */
    static final class Ehr implements ResponseDefinitionTransformerV2 {

        static final String NAME = "delivery-run-transaction";
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final FhirContext FHIR = FhirContext.forR4Cached();

        private final AtomicLong ids = new AtomicLong();
        private final AtomicLong cpuNanos = new AtomicLong();
        private volatile ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
        private volatile Set<String> submissions = ConcurrentHashMap.newKeySet();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            long arrived = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
            try {
                JsonNode request = JSON.readTree(event.getRequest().getBody());
                for (JsonNode entry : request.path("entry")) {
                    JsonNode resource = entry.path("resource");
                    String type = resource.path("resourceType").asText();
                    if (type.equals("QuestionnaireResponse")) {
                        submissions.add(
                                resource.path("identifier").path("value").asText());
                    }
                    response.addEntry()
                            .getResponse()
                            .setStatus("201 Created")
                            .setLocation(type + "/ehr-" + ids.incrementAndGet() + "/_history/1");
                }
            } catch (IOException e) {
                return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                        .withStatus(400)
                        .withBody("not JSON")
                        .build();
            }
            String body = FHIR.newJsonParser().encodeResourceToString(response);
            arrivals.add(arrived);
            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu);
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(body)
                    .build();
        }

        void reset() {
            arrivals = new ConcurrentLinkedQueue<>();
            submissions = ConcurrentHashMap.newKeySet();
            cpuNanos.set(0);
        }

        long[] arrivals() {
            long[] sorted = arrivals.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            return sorted;
        }

        int distinctSubmissions() {
            return submissions.size();
        }

        double meanCpuMillis() {
            int n = arrivals.size();
            return n == 0 ? 0 : cpuNanos.get() / 1e6 / n;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** Requests grouped by the gaps between them: one group per dispatcher poll when polling limits. */
    record Bursts(int count, double meanSize, double meanPeriodMillis) {

        static Bursts of(long[] sortedArrivals, long gapNanos) {
            if (sortedArrivals.length == 0) {
                return new Bursts(0, 0, 0);
            }
            int count = 1;
            for (int i = 1; i < sortedArrivals.length; i++) {
                if (sortedArrivals[i] - sortedArrivals[i - 1] > gapNanos) {
                    count++;
                }
            }
            double span = (sortedArrivals[sortedArrivals.length - 1] - sortedArrivals[0]) / 1e6;
            return new Bursts(count, (double) sortedArrivals.length / count, count > 1 ? span / (count - 1) : 0);
        }
    }

    /**
     * Samples the stacks of the module's delivery threads ({@code ehr-delivery} workers, the
     * {@code ehr-dispatcher} poller) and tallies each sample twice: by the step of the delivery it is in, and
     * by the first frame from the top that names a known layer. Also reads the threads' CPU time.
     */
    static final class Sampler {

        private static final String IDLE = "java.util.concurrent.ThreadPoolExecutor.getTask";
        private static final String[][] WORKER_STEPS = {
            {IDLE, "idle: slot free until the next poll"},
            {"org.twitchtriage.delivery.internal.EhrClient.send", "sending: bundle, JSON, HTTP to the EHR, reply"},
            {"org.twitchtriage.delivery.internal.DeliveryWork.resources", "reading the submission and its results"},
            {"org.twitchtriage.delivery.internal.DeliveryWork.lambda$deliver", "recording the outcome (transaction)"},
            {
                "org.springframework.transaction.support.TransactionTemplate.execute",
                "recording the outcome (transaction)"
            },
            {"org.twitchtriage.delivery.internal.DeliveryMetrics", "metrics"},
        };
        private static final String[][] DISPATCHER_STEPS = {
            {IDLE, "idle: sleeping between polls"},
            {"findDue", "findDue query"},
            {
                "org.springframework.transaction.support.TransactionTemplate.execute",
                "claim transactions, one per delivery"
            },
            {"java.util.concurrent.ThreadPoolExecutor.execute", "handing over to a worker"},
        };
        private static final String[][] LAYERS = {
            {IDLE, "idle"},
            {"com.zaxxer.hikari.pool.HikariPool.getConnection", "waiting for a pooled DB connection"},
            {"org.h2.", "database (H2 engine)"},
            {"org.postgresql.", "database (PostgreSQL driver and server)"},
            {"ch.qos.logback.", "logging"},
            {"org.slf4j.", "logging"},
            {"ca.uhn.fhir.parser.", "FHIR JSON encode/parse"},
            {"jdk.internal.net.http.", "HTTP client (incl. the EHR's delay)"},
            {"java.net.http.", "HTTP client (incl. the EHR's delay)"},
            {"org.hibernate.", "JPA (Hibernate, Spring transactions)"},
            {"org.springframework.orm.", "JPA (Hibernate, Spring transactions)"},
            {"org.springframework.transaction.", "JPA (Hibernate, Spring transactions)"},
            {"org.springframework.data.", "JPA (Hibernate, Spring transactions)"},
            {"com.zaxxer.hikari.", "JPA (Hibernate, Spring transactions)"},
            {"ca.uhn.fhir.", "FHIR model (copy, terser)"},
            {"org.hl7.fhir.", "FHIR model (copy, terser)"},
            {"org.twitchtriage.", "module code"},
        };

        private final ThreadMXBean threads;
        private final Duration interval;
        private final Map<String, Map<String, AtomicInteger>> steps = new ConcurrentHashMap<>();
        private final Map<String, Map<String, AtomicInteger>> layers = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> samples = new ConcurrentHashMap<>();
        private final Map<Long, long[]> cpu = new ConcurrentHashMap<>();
        private final Map<Long, String> groups = new ConcurrentHashMap<>();
        private volatile boolean running;
        private Thread thread;
        private long startNanos;
        private long stopNanos;

        Sampler(ThreadMXBean threads, Duration interval) {
            this.threads = threads;
            this.interval = interval;
        }

        void start() {
            startNanos = System.nanoTime();
            if (interval.isZero() || interval.isNegative()) {
                return;
            }
            running = true;
            thread = new Thread(this::loop, "delivery-run-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join();
            }
            stopNanos = System.nanoTime();
        }

        private void loop() {
            while (running) {
                sample();
                try {
                    Thread.sleep(interval.toMillis(), (int) (interval.toNanos() % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            Thread[] all = new Thread[root.activeCount() + 32];
            int n = root.enumerate(all, true);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = all[i].getName();
                if (name.equals("ehr-delivery") || name.equals("ehr-dispatcher")) {
                    ids.add(all[i].getId());
                    groups.putIfAbsent(all[i].getId(), name);
                }
            }
            for (long id : ids) {
                long time = threads.getThreadCpuTime(id);
                if (time >= 0) {
                    cpu.computeIfAbsent(id, k -> new long[] {time, time})[1] = time;
                }
            }
            if (ids.isEmpty()) {
                return;
            }
            for (ThreadInfo info : threads.getThreadInfo(
                    ids.stream().mapToLong(Long::longValue).toArray(), 64)) {
                if (info == null) {
                    continue;
                }
                String group = info.getThreadName();
                StackTraceElement[] stack = info.getStackTrace();
                samples.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
                String step = step(group.equals("ehr-delivery") ? WORKER_STEPS : DISPATCHER_STEPS, stack);
                steps.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                        .computeIfAbsent(step, l -> new AtomicInteger())
                        .incrementAndGet();
                layers.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                        .computeIfAbsent(layer(stack), l -> new AtomicInteger())
                        .incrementAndGet();
            }
        }

        /** The first step any frame of the stack belongs to, in the order the steps are listed. */
        private static String step(String[][] known, StackTraceElement[] stack) {
            for (String[] step : known) {
                for (StackTraceElement frame : stack) {
                    String name = frame.getClassName() + "." + frame.getMethodName();
                    if (name.startsWith(step[0]) || frame.getMethodName().equals(step[0])) {
                        return step[1];
                    }
                }
            }
            return "other";
        }

        /** The layer of the first frame from the top that names one. */
        private static String layer(StackTraceElement[] stack) {
            for (StackTraceElement frame : stack) {
                String name = frame.getClassName() + "." + frame.getMethodName();
                for (String[] layer : LAYERS) {
                    if (name.startsWith(layer[0])) {
                        return layer[1];
                    }
                }
            }
            return stack.length == 0 ? "no stack" : "other (" + stack[0].getClassName() + ")";
        }

        void report() {
            double wall = Math.max(1, stopNanos - startNanos) / 1e9;
            for (String group : List.of("ehr-delivery", "ehr-dispatcher")) {
                if (!samples.containsKey(group)) {
                    continue;
                }
                int total = samples.get(group).get();
                long threadCount =
                        groups.values().stream().filter(group::equals).count();
                double cores = cpu.entrySet().stream()
                                .filter(e -> group.equals(groups.get(e.getKey())))
                                .mapToLong(e -> e.getValue()[1] - e.getValue()[0])
                                .sum()
                        / 1e9
                        / wall;
                System.out.printf(
                        Locale.ROOT,
                        "samples:    %s, %d thread(s), %d samples, %.2f cores of CPU:%s%s%n",
                        group,
                        threadCount,
                        total,
                        cores,
                        lines(steps.get(group), total, "step "),
                        lines(layers.get(group), total, "layer"));
            }
        }

        private static String lines(Map<String, AtomicInteger> tally, int total, String label) {
            StringBuilder text = new StringBuilder();
            tally.entrySet().stream()
                    .sorted((a, b) -> b.getValue().get() - a.getValue().get())
                    .filter(e -> 100.0 * e.getValue().get() / total >= 0.5)
                    .forEach(e -> text.append(String.format(
                            Locale.ROOT,
                            "%n              %s %5.1f%%  %s",
                            label,
                            100.0 * e.getValue().get() / total,
                            e.getKey())));
            return text.toString();
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Total and busy jiffies of the whole machine from /proc/stat; null where there is none. */
    private static long[] systemCpu() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total, total - idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The responses submitted in turn, as fresh builders; each body gets its own identifier and subject. */
    private static List<ChecklistResponses> variants() {
        return List.of(
                ChecklistResponses.benign(),
                ChecklistResponses.benign().codes("locations", "eyelid").codes("triggers", "stress", "poor-sleep"),
                ChecklistResponses.benign()
                        .codes("duration", "2-4w")
                        .codes("course", "improving")
                        .answer("persistent", true),
                ChecklistResponses.benign()
                        .codes("locations", "arm-hand", "thigh")
                        .codes("duration", "gt-3m")
                        .codes("course", "worsening")
                        .codes("triggers")
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .answer("spreading", true));
    }

    private static void postgres(String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_URL + " is not usable: " + e.getMessage(), e);
        }
    }
}
