package org.twitchtriage.delivery.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code ehr} component of {@code /actuator/health}: whether the EHR answers, and the outbox's backlog.
 *
 * <ul>
 * <li>Delivery off (no {@code ehr.base-url}): UP, with {@code delivery: off}. Nothing is sent, so nothing
 *     can fail; results stay local and their deliveries pending.</li>
 * <li>Delivery on: {@code GET {base-url}/metadata} decides. Any 2xx answer is UP; another status, a
 *     timeout or no connection is DOWN. The probe sends no credentials: FHIR servers (and SMART ones by
 *     requirement) serve their CapabilityStatement to anyone, and a health check must not fetch tokens;
 *     refused credentials show in the deliveries instead. The probe has its own short timeouts
 *     ({@link #CONNECT_TIMEOUT}, {@link #REQUEST_TIMEOUT}, or the delivery's own if shorter), and its result
 *     is kept for {@link #PROBE_TTL}, so however often health is asked the EHR sees at most one probe per
 *     instance in that time.</li>
 * <li>Delivery on and the EHR reachable: {@link RequesterCheck} reads the requester Organization in the EHR,
 *     authorized as deliveries are (so with their cached token), at most every 15 seconds while it is missing
 *     and every 10 minutes once found. Missing (404 or 410) is DOWN with a {@code reason}: every delivery would
 *     be refused. Detail {@code requesterOrganization}: {@code found}, {@code missing} or {@code unchecked}
 *     (with {@code requesterCheck}, the status or failure, when the EHR would not say).</li>
 * <li>Details, both ways: {@code backlog} (pending deliveries), {@code failed} (parked, waiting for a
 *     re-drive), {@code oldestPendingAge} (ISO-8601), and when on {@code reachable}, {@code httpStatus} or
 *     {@code error} (an exception type) and {@code checkedAt}. Counts only: no submission ids, nothing of
 *     a patient, no address or credentials of the EHR. The backlog never changes the status: it says how
 *     far behind the EHR is, and alerting on it belongs to the {@code twitchtriage_deliveries_backlog*}
 *     metrics.</li>
 * </ul>
 *
 * <p><b>Why an unreachable EHR must not take the instance out of service.</b> Intake does not depend on the
 * EHR: the outbox exists so that submissions keep being accepted while the EHR is down and are delivered
 * once it is back. Pulling intake instances from a load balancer, or restarting them, because the EHR is down
 * would turn an EHR outage into an intake outage and fix nothing. So:
 * <ul>
 * <li>this component reports DOWN, which makes the aggregate {@code /actuator/health} DOWN (HTTP 503): that
 *     view is for operators and monitoring, and an unreachable EHR is something they must see;</li>
 * <li>the probe groups {@code /actuator/health/liveness} ({@code livenessState}) and
 *     {@code /actuator/health/readiness} ({@code readinessState} and {@code db}: intake needs its database)
 *     never include {@code ehr} (see {@code management.endpoint.health} in {@code application.yml}). Load
 *     balancers and orchestrators must use these two, not the aggregate.</li>
 * </ul>
 */
public final class EhrHealthIndicator implements HealthIndicator {

    static final Duration PROBE_TTL = Duration.ofSeconds(15);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final EhrProperties properties;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final HttpClient http;
    private final URI metadata;
    private final Duration timeout;
    private final RequesterCheck requester;
    private final CapabilitiesCheck capabilities;
    private Probe probe;

    /** What the last probe found. */
    record Probe(boolean reachable, Integer httpStatus, String error, Instant checkedAt) {}

    /**
     * @param requester the requester Organization's check; {@code null} when delivery is off
     * @param capabilities what the EHR's CapabilityStatement says; {@code null} when delivery is off
     */
    EhrHealthIndicator(
            EhrProperties properties,
            DeliveryMetrics metrics,
            Clock clock,
            RequesterCheck requester,
            CapabilitiesCheck capabilities) {
        this.properties = properties;
        this.requester = requester;
        this.capabilities = capabilities;
        this.metrics = metrics;
        this.clock = clock;
        if (properties.enabled()) {
            this.http = HttpClient.newBuilder()
                    .connectTimeout(shorter(properties.connectTimeout(), CONNECT_TIMEOUT))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            String base = properties.baseUrl().toString();
            this.metadata = URI.create((base.endsWith("/") ? base : base + "/") + "metadata");
        } else {
            this.http = null;
            this.metadata = null;
        }
        this.timeout = properties.enabled() ? shorter(properties.requestTimeout(), REQUEST_TIMEOUT) : null;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    @Override
    public Health health() {
        Health.Builder health;
        if (properties.enabled()) {
            Probe last = probe();
            health = last.reachable() ? Health.up() : Health.down();
            health.withDetail("delivery", "on").withDetail("reachable", last.reachable());
            if (last.httpStatus() != null) {
                health.withDetail("httpStatus", last.httpStatus());
            }
            if (last.error() != null) {
                health.withDetail("error", last.error());
            }
            health.withDetail(
                    "checkedAt",
                    last.checkedAt().truncatedTo(ChronoUnit.SECONDS).toString());
            if (last.reachable() && requester != null) {
                requester(health, requester.result());
            }
            if (capabilities != null) {
                capabilities(health, last.reachable() ? capabilities.current() : capabilities.known());
            }
        } else {
            health = Health.up().withDetail("delivery", "off");
        }
        DeliveryMetrics.Backlog backlog = metrics.backlog();
        if (backlog.known()) {
            health.withDetail("backlog", backlog.pending())
                    .withDetail("failed", backlog.failed())
                    .withDetail(
                            "oldestPendingAge",
                            backlog.oldestPendingAge(clock.instant())
                                    .truncatedTo(ChronoUnit.SECONDS)
                                    .toString());
        }
        return health.build();
    }

    /** A requester Organization the EHR does not have makes the component DOWN: every delivery would fail. */
    private void requester(Health.Builder health, RequesterCheck.Result result) {
        health.withDetail("requesterOrganization", result.state().name().toLowerCase(Locale.ROOT));
        if (result.state() == RequesterCheck.State.MISSING) {
            health.down()
                    .withDetail(
                            "reason",
                            "The EHR has no " + requester.organization() + ", which the orders name as their"
                                    + " requester: create it there");
        } else if (result.state() == RequesterCheck.State.UNCHECKED) {
            health.withDetail("requesterCheck", result.detail());
        }
    }

    /**
     * What the EHR's CapabilityStatement says, under {@code capabilities}. In {@code auto} mode a statement not yet
     * read makes the component DOWN: deliveries wait for it.
     */
    private void capabilities(Health.Builder health, CapabilitiesCheck.View view) {
        health.withDetail("capabilities", capabilities.details(view));
        if (view.capabilities() == null && capabilities.mode() == EhrProperties.Mode.AUTO) {
            health.down()
                    .withDetail(
                            "capabilitiesReason",
                            "The EHR's CapabilityStatement could not be read (" + view.problem() + "): deliveries"
                                    + " wait until it can be");
        }
    }

    /** The last probe, or a new one if it is older than {@link #PROBE_TTL}. */
    synchronized Probe probe() {
        Instant now = clock.instant();
        if (probe == null || !now.isBefore(probe.checkedAt().plus(PROBE_TTL))) {
            probe = check(now);
        }
        return probe;
    }

    /** Forgets the last probe, requester check and CapabilityStatement, so that the next health check asks the EHR again. */
    public synchronized void forgetProbe() {
        probe = null;
        if (requester != null) {
            requester.forget();
        }
        if (capabilities != null) {
            capabilities.forget();
        }
    }

    private Probe check(Instant now) {
        HttpRequest.Builder request = HttpRequest.newBuilder(metadata)
                .timeout(timeout)
                .header("Accept", "application/fhir+json")
                .GET();
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Probe(status >= 200 && status < 300, status, null, now);
        } catch (IOException e) {
            return new Probe(false, null, e.getClass().getSimpleName(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(false, null, "Interrupted", now);
        }
    }
}
