package org.twitchtriage.security.internal.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The launch contexts the sandbox's launcher page makes, as an EHR or a portal would: an opaque {@code launch}
 * id bound to a patient and to who launches (the patient or a clinician), usable for
 * {@link #LIFETIME}. The authorization endpoint refuses an id it does not know or that has expired.
 */
final class SandboxLaunches {

    static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final int MAX_OPEN = 1000;

    /**
     * @param patient the patient in context (a FHIR id)
     * @param who     {@code patient} or {@code clinician}: the user the launch is for
     */
    record Launch(String patient, String who, Instant expires) {}

    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    SandboxLaunches(Clock clock) {
        this.clock = clock;
    }

    /** A new launch id for this context. */
    String open(String patient, String who) {
        Instant now = clock.instant();
        launches.values().removeIf(launch -> !launch.expires().isAfter(now));
        if (launches.size() >= MAX_OPEN) {
            throw new IllegalStateException("Too many open sandbox launches; wait for some to expire");
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        launches.put(id, new Launch(patient, who, now.plus(LIFETIME)));
        return id;
    }

    /** The context of a launch id, unless it is unknown or expired. */
    Optional<Launch> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Launch launch = launches.get(id);
        return launch == null || !launch.expires().isAfter(clock.instant()) ? Optional.empty() : Optional.of(launch);
    }
}
