package org.twitchtriage.delivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Whether the EHR has the Organization every order names as its requester. Without it an EHR refuses each
 * delivery with an error that says little, so the module checks before the first submission: at start (in
 * the log) and in the {@code ehr} health component. A missing Organization is found again quickly once it is
 * created; one found is checked again only now and then.
 */
public final class RequesterCheck {

    private static final Logger log = LoggerFactory.getLogger(RequesterCheck.class);

    /** How long a found Organization is taken as still there. */
    static final Duration FOUND_TTL = Duration.ofMinutes(10);
    /** How long any other answer stands, so that creating the Organization shows within this. */
    static final Duration OTHER_TTL = Duration.ofSeconds(15);
    /** A check must not hold up start or health for the delivery's own, longer, timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    enum State {
        FOUND,
        MISSING,
        UNCHECKED
    }

    /** What the last check found; {@code detail} is the HTTP status or the kind of failure, never EHR text. */
    record Result(State state, String detail, Instant checkedAt) {}

    private final EhrClient client;
    private final String organization;
    private final Clock clock;
    private Result last;

    RequesterCheck(EhrClient client, String organization, Clock clock) {
        this.client = client;
        this.organization = organization;
        this.clock = clock;
    }

    String organization() {
        return organization;
    }

    /** The last result, or a new one when it has expired. */
    synchronized Result result() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.checkedAt().plus(last.state() == State.FOUND ? FOUND_TTL : OTHER_TTL))) {
            last = check(now);
        }
        return last;
    }

    synchronized void forget() {
        last = null;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void atStart() {
        Result result = result();
        switch (result.state()) {
            case FOUND -> log.info("The EHR has {}, which the orders name as their requester", organization);
            case MISSING ->
                log.warn(
                        "The EHR has no {} (it answered {}), which the orders name as their requester: it will refuse"
                                + " every delivery until the Organization exists. Create it in the EHR, or set"
                                + " ehr.requester-organization (and triage.requester-organization) to one it has.",
                        organization,
                        result.detail());
            case UNCHECKED ->
                log.warn(
                        "Could not check that the EHR has {}, which the orders name as their requester ({}); deliveries"
                                + " will tell. The health component ehr shows the next check.",
                        organization,
                        result.detail());
        }
    }

    private Result check(Instant now) {
        EhrClient.Lookup lookup = client.read(organization, TIMEOUT);
        State state = lookup.found() ? State.FOUND : lookup.absent() ? State.MISSING : State.UNCHECKED;
        String detail = lookup.httpStatus() != null ? "HTTP " + lookup.httpStatus() : lookup.failure();
        return new Result(state, detail, now);
    }
}
