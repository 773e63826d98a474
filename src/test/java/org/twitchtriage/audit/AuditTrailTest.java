package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.audit.internal.AuditEvents;
import org.twitchtriage.audit.internal.AuditRecord;
import org.twitchtriage.audit.internal.AuditStore;
import org.twitchtriage.audit.internal.RequestAudit;
import org.twitchtriage.security.Caller;

/** Recording outside FHIR, and what happens when the store fails. */
class AuditTrailTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123456Z");

    /** A store that keeps what it is given, or fails. */
    private static final class FakeStore extends AuditStore {

        final List<AuditEvent> stored = new ArrayList<>();
        final List<AuditRecord> records = new ArrayList<>();
        boolean broken;

        FakeStore() {
            super(null, null, null, FhirContext.forR4Cached(), null);
        }

        @Override
        public void insert(AuditEvent event, AuditRecord record, Instant recorded) {
            if (broken) {
                throw new IllegalStateException("database unavailable: Patient/p1");
            }
            stored.add(event);
            records.add(record);
        }
    }

    private final FakeStore store = new FakeStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AuditTrail trail =
            new AuditTrail(store, new AuditEvents("twitch-triage"), Clock.fixed(NOW, ZoneOffset.UTC), registry);

    @Test
    void recordsANonFhirActionWithItsPatientAndEntities() {
        Caller user =
                new Caller(Caller.Kind.USER, "https://auth.example.org", "dr", null, null, "Practitioner/3", List.of());

        trail.record(
                user,
                Activity.operation("$mark-reviewed", Action.UPDATE),
                Outcome.SUCCESS,
                "p1",
                List.of("Observation/o1", "not a reference"));

        AuditEvent event = store.stored.get(0);
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(event.getSubtype()).extracting(c -> c.getCode()).containsExactly("operation", "$mark-reviewed");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-11-24T10:15:30.123Z"));
        assertThat(event.getEntity())
                .extracting(e -> e.getWhat().getReference())
                .containsExactly("Patient/p1", "Observation/o1");
        assertThat(event.getAgent()).extracting(a -> a.getWho().getReference()).containsExactly("Practitioner/3");
        assertThat(event.getSource().getObserver().getReference()).isEqualTo("Device/twitch-triage");
        assertThat(UUID.fromString(event.getIdPart()).version()).isEqualTo(7);
    }

    @Test
    void aFailingStoreIsCountedAndDoesNotThrow() {
        store.broken = true;

        assertThatCode(() -> trail.record(
                        Caller.development(),
                        Activity.interaction("read"),
                        Outcome.SUCCESS,
                        "p1",
                        List.of("QuestionnaireResponse/q1")))
                .doesNotThrowAnyException();

        assertThat(registry.get("twitchtriage.audit.failures").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aWriteWithTheInteractionThatCannotHappenSaysSoWithoutThrowingOrCounting() {
        Caller user =
                new Caller(Caller.Kind.USER, "https://auth.example.org", "dr", null, null, "Practitioner/3", List.of());
        AuditRecord record = AuditRecord.of(
                user, AuditTrail.Activity.interaction("create"), AuditTrail.Outcome.SUCCESS, "p1", List.of());

        // No transaction is open here: the caller is told to record it after the interaction instead.
        assertThat(trail.recordWithInteraction(record)).isFalse();

        assertThat(store.stored).isEmpty();
        assertThat(registry.get("twitchtriage.audit.failures").counter().count())
                .isZero();
    }

    @Test
    void listsAtMostAHundredEntitiesAndSaysHowManyWereLeftOut() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            many.add("Observation/o" + i);
        }

        trail.record(Caller.development(), Activity.interaction("search-type"), Outcome.SUCCESS, null, many);

        AuditEvent event = store.stored.get(0);
        assertThat(store.records.get(0).entities()).hasSize(100);
        assertThat(event.getEntity()).hasSize(101);
        AuditEvent.AuditEventEntityComponent note = event.getEntity().get(100);
        assertThat(note.hasWhat()).isFalse();
        assertThat(note.getDetailFirstRep().getValue().primitiveValue()).isEqualTo("30");
    }

    @Test
    void outcomeDescriptionsAreFixedPhrases() {
        assertThat(RequestAudit.outcomeDescription(200)).isEqualTo("Success");
        assertThat(RequestAudit.outcomeDescription(403)).isEqualTo("Refused: access denied (HTTP 403)");
        assertThat(RequestAudit.outcomeDescription(418)).isEqualTo("Refused (HTTP 418)");
        assertThat(RequestAudit.outcomeDescription(503)).isEqualTo("Failed: server error (HTTP 503)");
    }
}
