package org.twitchtriage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntToLongFunction;

/** Concurrent clients that post submissions over HTTP, and what one batch of them measured. */
final class LoadClients {

    private LoadClients() {}

    static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A FHIR JSON {@code POST} of {@code body} to {@code endpoint}. */
    static HttpRequest post(URI endpoint, String body) {
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /**
     * Sends {@code request} and times it: the latency in nanoseconds (at least 1), negated when the answer
     * was not 201 or none came. Before a failure is returned, {@code failed} gets the answer, or else (the
     * answer null) the IOException or InterruptedException that ended the request.
     */
    static long send(HttpClient client, HttpRequest request, BiConsumer<HttpResponse<String>, Exception> failed) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long latency = Math.max(1, System.nanoTime() - start);
            if (response.statusCode() == 201) {
                return latency;
            }
            failed.accept(response, null);
            return -latency;
        } catch (IOException e) {
            failed.accept(null, e);
            return -Math.max(1, System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.accept(null, e);
            return -Math.max(1, System.nanoTime() - start);
        }
    }

    /**
     * Sends requests {@code 0..count-1} from {@code clients} threads named {@code threadName + i}; stops
     * early at {@code deadline} ({@link System#nanoTime}). {@code send} returns the latency in nanoseconds
     * of request {@code n}, negated when it failed.
     */
    static Phase run(int count, int clients, long deadline, String threadName, IntToLongFunction send)
            throws InterruptedException {
        Phase phase = new Phase(count);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(
                    () -> {
                        int n;
                        while ((n = phase.next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                            phase.latencies[n] = send.applyAsLong(n);
                            phase.completed.incrementAndGet();
                            if (phase.latencies[n] < 0) {
                                phase.failures.incrementAndGet();
                            }
                        }
                    },
                    threadName + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        phase.elapsedNanos = System.nanoTime() - start;
        return phase;
    }

    /** The {@code quantile} (0 to 1) of {@code sorted} nanoseconds, in milliseconds; 0 when empty. */
    static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.min(sorted.length - 1, Math.max(0, index))] / 1e6;
    }

    /** One batch of requests: each one's latency (0 when not sent, negative when failed) and the counts. */
    static final class Phase {
        final long[] latencies;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        long elapsedNanos;

        Phase(int count) {
            latencies = new long[count];
        }

        /** The latencies of the requests sent, failed or not, in nanoseconds, ascending. */
        long[] sortedLatencies() {
            long[] all =
                    Arrays.stream(latencies).filter(l -> l != 0).map(Math::abs).toArray();
            Arrays.sort(all);
            return all;
        }
    }
}
