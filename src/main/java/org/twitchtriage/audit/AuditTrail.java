package org.twitchtriage.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.audit.internal.AuditEvents;
import org.twitchtriage.audit.internal.AuditInterceptor;
import org.twitchtriage.audit.internal.AuditRecord;
import org.twitchtriage.audit.internal.AuditStore;
import org.twitchtriage.fhir.Failures;
import org.twitchtriage.security.Caller;
import org.twitchtriage.storage.TimeOrderedIds;

/**
 * Records AuditEvents. The FHIR endpoint's interactions are recorded by {@link AuditInterceptor}; other code
 * records what it does outside FHIR (a clinician marking a result as reviewed, say) with
 * {@link #record(Caller, Activity, Outcome, String, List)}.
 *
 * <p>Recording happens after the interaction, in a transaction of its own; a new submission's event is written
 * in the submission's own transaction instead ({@link #recordWithInteraction}), behind a savepoint, and recorded
 * after it like any other when that write fails. If recording fails, the failure is logged (without data) and
 * counted in {@code twitchtriage_audit_failures_total}, and the interaction still completes: by then it has
 * happened, and refusing its answer would not undo it.
 */
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditStore store;
    private final AuditEvents events;
    private final Clock clock;
    private final Counter failures;

    public AuditTrail(AuditStore store, AuditEvents events, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.failures = Counter.builder("twitchtriage.audit.failures")
                .description("AuditEvents that could not be recorded")
                .register(registry);
    }

    /** What was done: a FHIR interaction or an operation, and its BALP action. */
    public record Activity(String interaction, String operation, Action action) {

        /** A FHIR RESTful interaction ({@code read}, {@code update}, ...) with its usual action. */
        public static Activity interaction(String code) {
            return new Activity(code, null, Action.of(code));
        }

        /** A named operation ({@code $mark-reviewed}) that does what {@code action} says. */
        public static Activity operation(String name, Action action) {
            return new Activity("operation", name, action);
        }
    }

    /** The AuditEvent action codes. */
    public enum Action {
        CREATE(AuditEvent.AuditEventAction.C),
        READ(AuditEvent.AuditEventAction.R),
        UPDATE(AuditEvent.AuditEventAction.U),
        DELETE(AuditEvent.AuditEventAction.D),
        EXECUTE(AuditEvent.AuditEventAction.E);

        public final AuditEvent.AuditEventAction code;

        Action(AuditEvent.AuditEventAction code) {
            this.code = code;
        }

        static Action of(String interaction) {
            return switch (interaction) {
                case "create" -> CREATE;
                case "read", "vread", "history-instance", "history-type" -> READ;
                case "update", "patch" -> UPDATE;
                case "delete" -> DELETE;
                default -> EXECUTE;
            };
        }
    }

    /** How it ended, with the fixed description recorded in {@code outcomeDesc}. */
    public enum Outcome {
        SUCCESS(AuditEvent.AuditEventOutcome._0, "Success"),
        MINOR_FAILURE(AuditEvent.AuditEventOutcome._4, "Refused"),
        SERIOUS_FAILURE(AuditEvent.AuditEventOutcome._8, "Failed");

        public final AuditEvent.AuditEventOutcome code;
        public final String description;

        Outcome(AuditEvent.AuditEventOutcome code, String description) {
            this.code = code;
            this.description = description;
        }
    }

    /**
     * Records something done outside the FHIR endpoint.
     *
     * @param caller           who did it ({@code Callers.current()} in a request)
     * @param activity         what was done
     * @param outcome          how it ended
     * @param patientId        the patient it concerns, without {@code Patient/}; {@code null} if none
     * @param entityReferences the resources it touched, as {@code Type/id}
     */
    public void record(
            Caller caller, Activity activity, Outcome outcome, String patientId, List<String> entityReferences) {
        record(AuditRecord.of(caller, activity, outcome, patientId, entityReferences));
    }

    /** Builds and stores one AuditEvent; never throws. */
    public void record(AuditRecord record) {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            AuditEvent event = events.build(record, TimeOrderedIds.next(), now);
            store.insert(event, record, now);
        } catch (RuntimeException e) {
            failed(record.activity().interaction(), e);
        }
    }

    /**
     * Builds and stores one AuditEvent in the transaction open on this thread (the interaction's own), so it
     * commits with it; never throws. When it cannot be written there, the transaction carries on without it
     * and the answer is false: the caller then records it after the interaction, as {@link #record} does.
     */
    public boolean recordWithInteraction(AuditRecord record) {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            AuditEvent event = events.build(record, TimeOrderedIds.next(), now);
            store.insertJoined(event, record, now);
            return true;
        } catch (RuntimeException e) {
            log.warn(
                    "An AuditEvent ({}) could not be recorded with its interaction, it is recorded after it: {}",
                    record.activity().interaction(),
                    Failures.describe(e));
            return false;
        }
    }

    /** Counts and logs a failure to record; the log names the kind of interaction only, never its data. */
    public void failed(String interaction, RuntimeException e) {
        failures.increment();
        log.error("An AuditEvent ({}) could not be recorded: {}", interaction, Failures.describe(e));
    }
}
