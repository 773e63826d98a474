package org.twitchtriage.delivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.delivery.ResultNeedsAttention;
import org.twitchtriage.delivery.SubmissionDelivered;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.Origin;
import org.twitchtriage.results.ResultsStore;

/** One delivery attempt: gather the submission's resources, send them, record what happened. */
public final class DeliveryWork {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWork.class);

    private final DeliveryRepository repository;
    private final ResponseIntake intake;
    private final ResultsStore results;
    private final EhrClient client;
    private final KnownPatients patients;
    private final Amendments amendments;
    private final Backoff backoff;
    private final int maxAttempts;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final ApplicationEventPublisher events;
    private final String interaction;
    private final String baseUrl;

    DeliveryWork(
            DeliveryRepository repository,
            ResponseIntake intake,
            ResultsStore results,
            EhrClient client,
            EhrProperties properties,
            TransactionTemplate transaction,
            Clock clock,
            DeliveryMetrics metrics,
            ApplicationEventPublisher events) {
        this.repository = repository;
        this.intake = intake;
        this.results = results;
        this.client = client;
        this.patients = new KnownPatients(client, properties.requestTimeout(), clock);
        this.amendments = new Amendments(intake, results, client);
        this.backoff = new Backoff(properties.retry());
        this.maxAttempts = properties.retry().maxAttempts();
        this.transaction = transaction;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.interaction = properties.mode() == EhrProperties.Mode.TRANSACTION ? "transaction" : "create";
        this.baseUrl = String.valueOf(properties.baseUrl());
    }

    /** @param key the delivery's key: the submission id for its triage results, or that of a later batch */
    void deliver(String key) {
        Optional<Delivery> claimed = repository.findById(key);
        if (claimed.isEmpty()) {
            return;
        }
        String submissionId = claimed.get().submissionId();
        DeliveryBatch batch = claimed.get().batch();
        List<Resource> resources;
        List<Delivery.Left> left = List.of();
        long started = System.nanoTime();
        EhrClient.Result result;
        if (batch == DeliveryBatch.AMENDMENT) {
            List<Delivery.EhrId> earlier = transaction.execute(status -> repository.findDelivered(submissionId).stream()
                    .flatMap(delivery -> delivery.written().stream())
                    .toList());
            Amendments.Plan plan = amendments.plan(submissionId, claimed.get().revision(), earlier);
            if (plan instanceof Amendments.Ready ready) {
                resources = ready.sent();
                left = ready.left();
                result = patients.problem(resources).orElseGet(() -> client.send(ready.entries(), ready.known()));
            } else {
                resources = List.of();
                result = ((Amendments.NotNow) plan).result();
            }
        } else {
            resources = batch == DeliveryBatch.APPROVED_ORDERS ? approved(submissionId) : triage(submissionId);
            result = patients.problem(resources).orElseGet(() -> client.send(submissionId, resources));
        }
        metrics.attempt(result, Duration.ofNanos(System.nanoTime() - started));
        List<Delivery.Left> kept = left;
        Runnable count = transaction.execute(status -> repository
                .findById(key)
                .map(delivery -> {
                    Runnable counting = record(delivery, result, kept);
                    repository.save(delivery);
                    if (delivery.status() != DeliveryStatus.PENDING) {
                        events.publishEvent(delivery.statusChanged());
                    }
                    if (result instanceof EhrClient.Delivered && !kept.isEmpty()) {
                        events.publishEvent(needsAttention(delivery, kept));
                    }
                    return counting;
                })
                .orElse(null));
        if (count != null) {
            count.run(); // only once what it counts is committed
        }
        if (result instanceof EhrClient.Delivered && !resources.isEmpty()) {
            events.publishEvent(delivered(submissionId, resources, batch));
        }
    }

    /** What a clinician is told when a revision's delivery left part of the result as the EHR has it. */
    private static ResultNeedsAttention needsAttention(Delivery delivery, List<Delivery.Left> left) {
        StringBuilder reason = new StringBuilder("The EHR kept its own version of ")
                .append(left.size())
                .append(left.size() == 1 ? " resource" : " resources")
                .append(" that version ")
                .append(delivery.revision())
                .append(" of the response changed; the EHR does not show the change there: ");
        reason.append(String.join("; ", left.stream().map(Delivery.Left::reason).toList()));
        String text = reason.append('.').toString();
        return new ResultNeedsAttention(
                delivery.submissionId(), text.length() > 1000 ? text.substring(0, 997) + "..." : text);
    }

    private SubmissionDelivered delivered(String submissionId, List<Resource> resources, DeliveryBatch batch) {
        String patient =
                KnownPatients.patientOf(resources).map(IIdType::getIdPart).orElse(null);
        List<String> sent = resources.stream().map(FhirIds::reference).toList();
        String how = batch == DeliveryBatch.AMENDMENT && "create".equals(interaction) ? "update" : interaction;
        return new SubmissionDelivered(submissionId, patient, sent, how, baseUrl);
    }

    /** Records the result on the delivery; returns what counts it for the metrics. */
    private Runnable record(Delivery delivery, EhrClient.Result result, List<Delivery.Left> left) {
        Instant now = clock.instant();
        String id = delivery.key();
        if (result instanceof EhrClient.Delivered delivered) {
            delivery.delivered(delivered.written(), left, now);
            log.info("Delivered submission {} to the EHR after {} attempt(s)", id, delivery.attempts());
            Duration latency = Duration.between(delivery.createdAt(), now);
            return () -> metrics.delivered(latency);
        } else if (result instanceof EhrClient.Refused refused) {
            delivery.failed(refused.error(), refused.httpStatus(), refused.outcome(), now);
            log.warn("The EHR refused submission {} ({}); parked as failed", id, refused.httpStatus());
            return metrics::refused;
        } else if (result instanceof EhrClient.Retry retry) {
            if (delivery.attempts() + 1 >= maxAttempts) {
                delivery.failed(
                        retry.error() + "; gave up after " + maxAttempts + " attempts", retry.httpStatus(), null, now);
                log.warn("Delivery of submission {} failed {} times; parked as failed", id, maxAttempts);
                return metrics::exhausted;
            } else {
                Duration wait = backoff.after(delivery.attempts() + 1, retry.retryAfter());
                delivery.retryLater(retry.error(), retry.httpStatus(), now.plus(wait), now);
                log.info("Delivery of submission {} will be retried in {} ms ({})", id, wait.toMillis(), retry.error());
                return metrics::retried;
            }
        }
        return null;
    }

    /** The response and everything its triage wrote, with the shared resources (the module's Device) it names. */
    private List<Resource> triage(String submissionId) {
        List<Resource> resources = new ArrayList<>();
        intake.read(submissionId).ifPresent(resources::add);
        resources.addAll(results.forSubmissionWithShared(submissionId));
        return resources;
    }

    /**
     * The approved orders, with what they reference that the module wrote (the response, the triage
     * Observation, the proposals they are based on): conditional creates that find those already in the
     * EHR, so the orders' references resolve whether or not the triage batch has been delivered yet.
     */
    private List<Resource> approved(String submissionId) {
        List<Resource> orders = results.forSubmission(submissionId, Origin.APPROVAL);
        Set<String> proposals = orders.stream()
                .map(ServiceRequest.class::cast)
                .flatMap(order -> order.getBasedOn().stream())
                .map(Reference::getReference)
                .collect(Collectors.toSet());
        List<Resource> resources = new ArrayList<>();
        intake.read(submissionId).ifPresent(resources::add);
        results.forSubmission(submissionId).stream()
                .filter(r -> r instanceof Observation || proposals.contains(EhrBundles.local(r)))
                .forEach(resources::add);
        resources.addAll(orders);
        return resources;
    }
}
