package org.twitchtriage.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.twitchtriage.bench.LoadClients.Phase;
import org.twitchtriage.testing.ChecklistResponses;

/**
 * Load generator for {@code POST [base]/QuestionnaireResponse}: a fixed number of concurrent clients
 * submit valid responses, each with an identifier unique to this run and a synthetic subject, and
 * the run reports throughput and latency percentiles. Talks only to a loopback address.
 *
 * <p>Options, as {@code --name=value} arguments (through Maven: inside {@code -Dbench.args="..."}) or as
 * {@code -Dbench.name=value} system properties of this JVM:
 * {@code base-url} (http://localhost:8080/fhir), {@code concurrency} (8), {@code requests} (20000),
 * {@code warmup} (1000, not counted), {@code max-seconds} (120, for the whole run including warm-up).
 * Exits 0 when every request got 201, 1 when any failed or nothing was measured, 2 on bad options.
 */
public final class SubmissionLoadRun {

    private static final String IDENTIFIER_SYSTEM = "urn:twitchtriage:load-run";
    private static final String ID_TOKEN = "LOADRUNIDENTIFIERTOKEN";
    private static final String SUBJECT_TOKEN = "LOADRUNSUBJECTTOKEN";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int SHOWN_FAILURES = 5;
    /** How long each round of a warm-up that waits for the server to settle lasts, and its most requests. */
    static final Duration WARMUP_ROUND = Duration.ofSeconds(10);

    private static final int MAX_ROUND_REQUESTS = 100_000;
    private static final List<String> OPTIONS = List.of("base-url", "concurrency", "requests", "warmup", "max-seconds");

    private final URI endpoint;
    private final int concurrency;
    private final int requests;
    private final int warmup;
    private final Duration maxDuration;
    private final Duration warmupLimit;
    private long deadline;
    private BooleanSupplier settled;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> templates =
            ResponseJson.templates(variants(), IDENTIFIER_SYSTEM, ID_TOKEN, SUBJECT_TOKEN);
    private final HttpClient client;

    private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> failuresByKind = new ConcurrentHashMap<>();

    SubmissionLoadRun(URI endpoint, int concurrency, int requests, int warmup, Duration maxDuration) {
        this(endpoint, concurrency, requests, warmup, maxDuration, null);
    }

    /**
     * @param warmupLimit how long the warm-up may take before the measured requests start regardless, which
     *     then have {@code maxDuration} of their own; null: both share {@code maxDuration}
     */
    SubmissionLoadRun(
            URI endpoint, int concurrency, int requests, int warmup, Duration maxDuration, Duration warmupLimit) {
        this.endpoint = endpoint;
        this.concurrency = concurrency;
        this.requests = requests;
        this.warmup = warmup;
        this.maxDuration = maxDuration;
        this.warmupLimit = warmupLimit;
        this.deadline = System.nanoTime() + maxDuration.toNanos();
        this.client = LoadClients.httpClient();
    }

    public static void main(String[] args) throws Exception {
        URI base;
        int concurrency;
        int requests;
        int warmup;
        int maxSeconds;
        try {
            RunOptions options = RunOptions.parse(args, OPTIONS, List.of());
            base = URI.create(stripSlash(options.text("base-url", "http://localhost:8080/fhir")));
            concurrency = options.positiveInteger("concurrency", 8);
            requests = options.positiveInteger("requests", 20000);
            warmup = options.integer("warmup", 1000);
            maxSeconds = options.positiveInteger("max-seconds", 120);
            checkLoopback(base);
        } catch (IllegalArgumentException e) {
            System.err.println("SubmissionLoadRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        SubmissionLoadRun run = new SubmissionLoadRun(
                URI.create(base + "/QuestionnaireResponse"),
                concurrency,
                requests,
                Math.max(0, warmup),
                Duration.ofSeconds(maxSeconds));
        System.exit(run.run(() -> {}).passed() ? 0 : 1);
    }

    /** What the measured phase gave: the requests sent, those that failed, how long it took, the latencies. */
    record Measured(int completed, int failures, boolean warmupFailed, double seconds, long[] sortedLatencies) {

        boolean passed() {
            return completed > 0 && failures == 0 && !warmupFailed;
        }

        double throughput() {
            return completed / seconds;
        }

        double millis(double quantile) {
            return LoadClients.millis(sortedLatencies, quantile);
        }
    }

    /**
     * After the warm-up requests, warm up on in rounds of {@link #WARMUP_ROUND} until {@code settled} says the
     * server has settled (asked after each round), or the warm-up's time limit is reached. Only with a warm-up
     * limit.
     */
    SubmissionLoadRun warmUntil(BooleanSupplier settled) {
        this.settled = settled;
        return this;
    }

    /**
     * Warms up, then measures and reports; {@code beforeMeasuring} runs between the two (to start counting
     * the server's CPU time, say).
     */
    Measured run(Runnable beforeMeasuring) throws InterruptedException {
        System.out.printf(
                "POST %s: run %s, %d clients, %d requests after %d warm-up requests, at most %d s%n",
                endpoint, runId, concurrency, requests, warmup, maxDuration.toSeconds());
        Warmed warmed = warm();
        if (warmed.aborted()) {
            return new Measured(0, 0, true, 1, new long[0]);
        }
        if (warmupLimit != null) {
            deadline = System.nanoTime() + maxDuration.toNanos();
        }
        beforeMeasuring.run();
        Phase measured = phase("m", requests);
        report(measured);
        if (measured.completed.get() == 0) {
            System.out.println("nothing was measured: the time limit ended the run during warm-up");
        }
        return new Measured(
                measured.completed.get(),
                measured.failures.get(),
                warmed.someFailed(),
                measured.elapsedNanos / 1e9,
                measured.sortedLatencies());
    }

    /** How the warm-up went: given up (nothing to measure), or done with some requests failed, or clean. */
    record Warmed(boolean aborted, boolean someFailed) {}

    /**
     * The warm-up requests, then (with a warm-up limit and {@link #warmUntil}) rounds until the server has
     * settled. Failures are printed; the failure counts start afresh for what is measured next.
     */
    Warmed warm() throws InterruptedException {
        if (warmupLimit != null) {
            deadline = System.nanoTime() + warmupLimit.toNanos();
        }
        Phase warm = phase("w", warmup);
        if (warm.failures.get() > 0) {
            System.out.printf(
                    "warm-up: %d of %d requests failed %s%n",
                    warm.failures.get(), warm.completed.get(), failuresByKind);
            failureSamples.forEach(sample -> System.out.println("failure:    " + sample));
            if (warm.failures.get() == warm.completed.get()) {
                System.out.println("every warm-up request failed; is the server running at " + endpoint + "?");
                return new Warmed(true, true);
            }
        }
        if (settled != null && warmupLimit != null && warm.failures.get() == 0) {
            long warmupEnd = deadline;
            for (int round = 1; System.nanoTime() < warmupEnd && !settled.getAsBoolean(); round++) {
                deadline = Math.min(warmupEnd, System.nanoTime() + WARMUP_ROUND.toNanos());
                Phase more = phase("w" + round + "-", MAX_ROUND_REQUESTS);
                if (more.failures.get() > 0) {
                    System.out.printf(
                            "warm-up: %d of %d requests failed %s%n",
                            more.failures.get(), more.completed.get(), failuresByKind);
                    return new Warmed(true, true);
                }
            }
        }
        failuresByKind.clear();
        failureSamples.clear();
        return new Warmed(false, warm.failures.get() > 0);
    }

    /**
     * One more measured round on a warmed server: as many requests as {@code duration} allows, each with an
     * identifier of its own ({@code name} tells the rounds apart); {@code beforeMeasuring} runs just before.
     * Prints nothing but failures.
     */
    Measured round(String name, Duration duration, Runnable beforeMeasuring) throws InterruptedException {
        failuresByKind.clear();
        failureSamples.clear();
        deadline = System.nanoTime() + duration.toNanos();
        beforeMeasuring.run();
        Phase round = phase(name + "-", MAX_ROUND_REQUESTS);
        failureSamples.forEach(sample -> System.out.println("failure:    " + sample));
        return new Measured(
                round.completed.get(), round.failures.get(), false, round.elapsedNanos / 1e9, round.sortedLatencies());
    }

    /** Sends {@code count} requests from {@code concurrency} threads; stops early at the deadline. */
    private Phase phase(String prefix, int count) throws InterruptedException {
        return LoadClients.run(count, concurrency, deadline, "load-client-", n -> send(prefix, n));
    }

    /** Latency in nanoseconds of one submission, negated when it did not return 201. */
    private long send(String prefix, int n) {
        String body = templates
                .get(n % templates.size())
                .replace(ID_TOKEN, runId + "-" + prefix + n)
                .replace(SUBJECT_TOKEN, "synthetic-" + (n % 997));
        return LoadClients.send(client, LoadClients.post(endpoint, body), (response, error) -> {
            if (response != null) {
                fail("HTTP " + response.statusCode(), response.body());
            } else if (error instanceof IOException) {
                Throwable reason = error.getCause() == null ? error : error.getCause();
                fail(error.getClass().getSimpleName(), String.valueOf(reason));
            } else {
                fail("interrupted", "");
            }
        });
    }

    private void fail(String kind, String detail) {
        failuresByKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        if (failureSamples.size() < SHOWN_FAILURES) {
            String shown = detail.length() > 400 ? detail.substring(0, 400) + "..." : detail;
            failureSamples.add(kind + ": " + shown.replaceAll("\\s+", " "));
        }
    }

    private void report(Phase phase) {
        int done = phase.completed.get();
        long[] all = phase.sortedLatencies();
        double seconds = phase.elapsedNanos / 1e9;
        System.out.printf(
                Locale.ROOT,
                "requests:   %d%s%n",
                done,
                done < requests ? " (stopped at the time limit; " + requests + " planned)" : "");
        System.out.printf(
                Locale.ROOT,
                "errors:     %d (not 201)%s%n",
                phase.failures.get(),
                failuresByKind.isEmpty() ? "" : " " + failuresByKind);
        System.out.printf(Locale.ROOT, "elapsed:    %.2f s%n", seconds);
        System.out.printf(Locale.ROOT, "throughput: %.1f req/s%n", done / seconds);
        System.out.printf(
                Locale.ROOT,
                "latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
                LoadClients.millis(all, 0.50),
                LoadClients.millis(all, 0.95),
                LoadClients.millis(all, 0.99),
                LoadClients.millis(all, 1.0));
        failureSamples.forEach(sample -> System.out.println("failure:    " + sample));
        if (failuresByKind.containsKey("HTTP 429")) {
            System.out.println("the server rate-limited this run: start it with --fhir.rate-limit.enabled=false");
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
                        .answer("spreading", true),
                ChecklistResponses.benign()
                        .codes("duration", "1-3m")
                        .answer("muscle-loss", true)
                        .answer("numbness-tingling", true)
                        .authored("2026-11-19"));
    }

    /** Accepts only literal loopback hosts (localhost, 127.x.x.x, ::1); resolves no names. */
    static void checkLoopback(URI base) {
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("base-url must be an http(s) URL: " + base);
        }
        String host = base.getHost();
        if (host == null) {
            throw new IllegalArgumentException("base-url has no host: " + base);
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean loopback;
        if ("localhost".equalsIgnoreCase(bare)) {
            loopback = true;
        } else if (IPV4.matcher(bare).matches() || bare.contains(":")) {
            try {
                loopback = InetAddress.getByName(bare).isLoopbackAddress();
            } catch (IOException e) {
                loopback = false;
            }
        } else {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalArgumentException(
                    "refusing to send load to " + host + ": only localhost, 127.x.x.x and ::1 are allowed");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
