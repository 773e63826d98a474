package org.twitchtriage.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.transaction.annotation.Transactional;
import org.twitchtriage.delivery.internal.Delivery;
import org.twitchtriage.delivery.internal.DeliveryRepository;
import org.twitchtriage.fhir.FhirIds;

/** What operators and portals can see and do about deliveries: status, the failed ones, re-drive. */
public class Deliveries {

    private final DeliveryRepository repository;
    private final boolean enabled;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public Deliveries(DeliveryRepository repository, boolean enabled, Clock clock, ApplicationEventPublisher events) {
        this.repository = repository;
        this.enabled = enabled;
        this.clock = clock;
        this.events = events;
    }

    /**
     * A delivery as operators see it. {@code ehrIds} maps local references to the EHR's; {@code batch} is what
     * it carries: the submission's triage results, orders approved later, or what a correction or retraction
     * changed; {@code revision} the version of the response it carries; {@code left} what it did not write: left as
     * the EHR has it, skipped, or failed.
     */
    public record View(
            String submissionId,
            DeliveryBatch batch,
            DeliveryStatus status,
            boolean deliveryEnabled,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Integer lastHttpStatus,
            String ehrOutcome,
            Map<String, String> ehrIds,
            Instant createdAt,
            Instant deliveredAt,
            int revision,
            List<Left> left) {}

    /**
     * A resource a delivery did not write.
     *
     * @param local the module's resource, {@code Type/id}
     * @param ehr the EHR's resource, when known
     * @param reason why
     * @param outcome {@code left} (as the EHR has it), {@code skipped} (the EHR cannot take its type) or
     *     {@code failed} (the EHR refused it, or did not answer)
     */
    public record Left(String local, String ehr, String reason, String outcome) {}

    public boolean enabled() {
        return enabled;
    }

    @Transactional(readOnly = true)
    public Optional<View> status(String submissionId) {
        return repository.findById(submissionId).map(this::view);
    }

    /** Every delivery of one submission, in the order they were recorded. */
    @Transactional(readOnly = true)
    public List<View> allOf(String submissionId) {
        return repository.findBySubmission(submissionId).stream()
                .map(this::view)
                .toList();
    }

    @Transactional(readOnly = true)
    public List<View> failed(int limit) {
        return repository.findByStatus(DeliveryStatus.FAILED, PageRequest.of(0, limit)).stream()
                .map(this::view)
                .toList();
    }

    @Transactional(readOnly = true)
    public long count(DeliveryStatus status) {
        return repository.countByStatus(status);
    }

    /**
     * Sends the submission's failed deliveries again (its triage results, approved orders, or both), each with a
     * fresh attempt budget; empty if the submission has no delivery at all.
     */
    @Transactional
    public Optional<List<View>> redrive(String submissionId) {
        List<Delivery> all = repository.findBySubmission(submissionId);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        List<Delivery> failed =
                all.stream().filter(d -> d.status() == DeliveryStatus.FAILED).toList();
        if (failed.isEmpty()) {
            throw new NotFailedException(submissionId, all.get(0).status());
        }
        Instant now = clock.instant();
        return Optional.of(failed.stream()
                .map(delivery -> {
                    delivery.redrive(now);
                    Delivery saved = repository.save(delivery);
                    events.publishEvent(saved.statusChanged());
                    return view(saved);
                })
                .toList());
    }

    private View view(Delivery d) {
        return new View(
                d.submissionId(),
                d.batch(),
                d.status(),
                enabled,
                d.attempts(),
                d.nextAttemptAt(),
                d.lastError(),
                d.lastHttpStatus(),
                d.ehrOutcome(),
                d.ehrIds(),
                d.createdAt(),
                d.deliveredAt(),
                d.revision(),
                d.left().stream()
                        .map(left -> new Left(left.local(), left.ehr(), left.reason(), left.outcome()))
                        .toList());
    }

    /** Only a failed delivery can be re-driven; a pending one is already on its way. */
    public static final class NotFailedException extends RuntimeException {

        NotFailedException(String submissionId, DeliveryStatus status) {
            super("No delivery of " + FhirIds.reference("QuestionnaireResponse", submissionId)
                    + " has failed (the results' delivery is " + status.code()
                    + "); only failed deliveries can be re-driven");
        }
    }
}
