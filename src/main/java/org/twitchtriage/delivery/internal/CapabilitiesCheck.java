package org.twitchtriage.delivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * What the EHR can take, from its CapabilityStatement ({@code GET [base]/metadata}), read at start and again every
 * {@code ehr.capabilities-refresh}, and on demand. A statement once read is kept when a later read fails. Until one
 * has been read, {@code ehr.mode=auto} sends nothing: deliveries wait, pending, and the statement is asked for
 * again after a backoff. The explicit modes go ahead without one, taking the EHR to take everything (which is what
 * choosing a mode says), and use what the statement says per type once it is known.
 */
public final class CapabilitiesCheck {

    private static final Logger log = LoggerFactory.getLogger(CapabilitiesCheck.class);

    /** A read must not hold up start, health or the dispatcher for the delivery's own, longer, timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The types a delivery may send, in the order they are sent. */
    static final List<String> TYPES = List.of(
            "Device",
            "QuestionnaireResponse",
            "Observation",
            "ServiceRequest",
            "Communication",
            "DocumentReference",
            "Provenance");

    /** How the module writes a resource of one type that the EHR may already have. */
    enum Write {
        /** {@code POST} with {@code If-None-Exist} on its identifier. */
        CONDITIONAL_CREATE("conditional create"),
        /** {@code PUT Type/{id}} on the module's own id, which the EHR creates if it has none. */
        UPDATE_AS_CREATE("update as create on the module's id"),
        /** A search by identifier, then {@code POST} when none is found. */
        SEARCH_THEN_CREATE("search by identifier, then create"),
        /** {@code POST}: the EHR can neither create conditionally nor search the type. */
        CREATE("create (no check for an earlier copy)"),
        /** Not sent: the EHR cannot create the type. */
        NONE("not sent: the EHR cannot create it");

        final String words;

        Write(String words) {
            this.words = words;
        }
    }

    /**
     * What deliveries go by.
     *
     * @param transaction whether to send one transaction Bundle
     * @param capabilities what the EHR said; null when it has not said (an explicit mode then takes everything)
     */
    record Support(boolean transaction, EhrCapabilities capabilities) {

        EhrCapabilities.TypeSupport type(String resourceType) {
            return capabilities == null ? EhrCapabilities.TypeSupport.ALL : capabilities.type(resourceType);
        }

        Write write(String resourceType) {
            EhrCapabilities.TypeSupport type = type(resourceType);
            if (type.create() && type.conditionalCreate()) {
                return Write.CONDITIONAL_CREATE;
            }
            if (type.update() && type.updateCreate()) {
                return Write.UPDATE_AS_CREATE;
            }
            if (type.create()) {
                return type.search() ? Write.SEARCH_THEN_CREATE : Write.CREATE;
            }
            return Write.NONE;
        }
    }

    /**
     * What the last read found.
     *
     * @param capabilities the last statement read; null when none has been
     * @param readAt when it was read
     * @param problem why the last read failed; null when it did not
     * @param failedAt when it failed
     */
    record View(EhrCapabilities capabilities, Instant readAt, String problem, Instant failedAt) {}

    private final EhrClient client;
    private final EhrProperties.Mode mode;
    private final Duration refresh;
    private final Backoff backoff;
    private final Clock clock;
    private EhrCapabilities capabilities;
    private Instant readAt;
    private String problem;
    private Instant failedAt;
    private int failures;
    private Instant nextRead;

    CapabilitiesCheck(EhrClient client, EhrProperties properties, Clock clock) {
        this.client = client;
        this.mode = properties.mode();
        this.refresh = properties.capabilitiesRefresh();
        this.backoff = new Backoff(properties.retry());
        this.clock = clock;
    }

    EhrProperties.Mode mode() {
        return mode;
    }

    /** What deliveries go by now; empty while {@code auto} mode waits for a statement. */
    Optional<Support> support() {
        EhrCapabilities known = current().capabilities();
        return switch (mode) {
            case AUTO -> Optional.ofNullable(known).map(c -> new Support(c.transaction(), c));
            case TRANSACTION -> Optional.of(new Support(true, known));
            case INDIVIDUAL -> Optional.of(new Support(false, known));
        };
    }

    /** What is known, read again first when it is due. */
    synchronized View current() {
        if (nextRead == null || !clock.instant().isBefore(nextRead)) {
            read();
        }
        return view();
    }

    /** What is known, without asking the EHR. */
    synchronized View known() {
        return view();
    }

    /** Reads the statement now, whenever it was last read. */
    synchronized View refresh() {
        read();
        return view();
    }

    /** Forgets what was read, so that the next use reads the statement again (for tests). */
    public synchronized void forget() {
        capabilities = null;
        readAt = null;
        problem = null;
        failedAt = null;
        failures = 0;
        nextRead = null;
    }

    private View view() {
        return new View(capabilities, readAt, problem, failedAt);
    }

    private void read() {
        Instant now = clock.instant();
        EhrClient.Statement statement = client.capabilities(TIMEOUT);
        EhrCapabilities read = statement.statement() == null ? null : EhrCapabilities.of(statement.statement());
        if (read != null && read.types().isEmpty()) {
            // A statement that lists no resource types says nothing a delivery could go by.
            statement = new EhrClient.Statement(null, "the CapabilityStatement lists no resource types");
            read = null;
        }
        if (read != null) {
            capabilities = read;
            readAt = now;
            problem = null;
            failedAt = null;
            failures = 0;
            nextRead = now.plus(refresh);
        } else {
            problem = statement.problem();
            failedAt = now;
            failures++;
            nextRead = now.plus(backoff.after(failures, null));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void atStart() {
        View view = current();
        if (view.capabilities() != null) {
            Support support = support().orElseThrow();
            log.info(
                    "The EHR's CapabilityStatement ({}) says: {}; deliveries go {}",
                    view.capabilities().software() == null
                            ? "no software named"
                            : view.capabilities().software(),
                    plan(support),
                    support.transaction() ? "as transaction Bundles" : "one request at a time");
        } else if (mode == EhrProperties.Mode.AUTO) {
            log.warn(
                    "Could not read the EHR's CapabilityStatement ({}): deliveries wait until it can be read, or set"
                            + " ehr.mode to transaction or individual",
                    view.problem());
        } else {
            log.warn(
                    "Could not read the EHR's CapabilityStatement ({}): delivering in {} mode as if the EHR takes"
                            + " every type, until it can be read",
                    view.problem(),
                    mode.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** How each type is written, in words: {@code Observation: conditional create, ...}. */
    static Map<String, String> plan(Support support) {
        Map<String, String> byType = new LinkedHashMap<>();
        TYPES.forEach(type -> byType.put(type, support.write(type).words));
        return byType;
    }

    /**
     * For the health details: when the statement was read, what the EHR runs, whether deliveries go as
     * transactions, and how each type is written; or why it could not be read, and what deliveries do meanwhile.
     */
    Map<String, Object> details(View view) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        Optional<Support> support = view.capabilities() == null && mode == EhrProperties.Mode.AUTO
                ? Optional.empty()
                : Optional.of(new Support(
                        switch (mode) {
                            case AUTO -> view.capabilities().transaction();
                            case TRANSACTION -> true;
                            case INDIVIDUAL -> false;
                        },
                        view.capabilities()));
        details.put("read", view.capabilities() != null);
        if (view.capabilities() != null) {
            details.put(
                    "readAt",
                    view.readAt()
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString());
            if (view.capabilities().software() != null) {
                details.put("software", view.capabilities().software());
            }
            details.put("transaction", view.capabilities().transaction());
        }
        if (view.problem() != null) {
            details.put("problem", view.problem());
        }
        if (support.isEmpty()) {
            details.put("deliveries", "waiting until the CapabilityStatement can be read");
        } else {
            details.put("deliveries", support.get().transaction() ? "transaction" : "one request at a time");
            details.put("types", plan(support.get()));
        }
        return details;
    }
}
