package org.twitchtriage.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;

/** One delivery attempt: gather the submission's resources, send them, record what happened. */
final class DeliveryWork {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWork.class);

    private final DeliveryRepository repository;
    private final ResponseIntake intake;
    private final ResultsStore results;
    private final EhrClient client;
    private final Backoff backoff;
    private final int maxAttempts;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final ApplicationEventPublisher events;
    private final String interaction;
    private final String baseUrl;

    DeliveryWork(DeliveryRepository repository, ResponseIntake intake, ResultsStore results, EhrClient client,
            EhrProperties properties, TransactionTemplate transaction, Clock clock, DeliveryMetrics metrics,
            ApplicationEventPublisher events) {
        this.repository = repository;
        this.intake = intake;
        this.results = results;
        this.client = client;
        this.backoff = new Backoff(properties.retry());
        this.maxAttempts = properties.retry().maxAttempts();
        this.transaction = transaction;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.interaction = properties.mode() == EhrProperties.Mode.TRANSACTION ? "transaction" : "create";
        this.baseUrl = String.valueOf(properties.baseUrl());
    }

    void deliver(String submissionId) {
        List<Resource> resources = resources(submissionId);
        long started = System.nanoTime();
        EhrClient.Result result = client.send(submissionId, resources);
        metrics.attempt(result, Duration.ofNanos(System.nanoTime() - started));
        Runnable count = transaction.execute(status -> repository.findById(submissionId).map(delivery -> {
            Runnable counting = record(delivery, result);
            repository.save(delivery);
            return counting;
        }).orElse(null));
        if (count != null) {
            count.run(); // only once what it counts is committed
        }
        if (result instanceof EhrClient.Delivered) {
            events.publishEvent(delivered(submissionId, resources));
        }
    }

    private SubmissionDelivered delivered(String submissionId, List<Resource> resources) {
        String patient = resources.stream().filter(QuestionnaireResponse.class::isInstance)
                .map(r -> ((QuestionnaireResponse) r).getSubject().getReferenceElement())
                .filter(id -> "Patient".equals(id.getResourceType()) && !id.isAbsolute())
                .map(id -> id.getIdPart()).findFirst().orElse(null);
        List<String> sent = resources.stream().map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
        return new SubmissionDelivered(submissionId, patient, sent, interaction, baseUrl);
    }

    /** Records the result on the delivery; returns what counts it for the metrics. */
    private Runnable record(Delivery delivery, EhrClient.Result result) {
        Instant now = clock.instant();
        String id = delivery.submissionId();
        if (result instanceof EhrClient.Delivered delivered) {
            delivery.delivered(delivered.ehrIds().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")), now);
            log.info("Delivered submission {} to the EHR after {} attempt(s)", id, delivery.attempts());
            Duration latency = Duration.between(delivery.createdAt(), now);
            return () -> metrics.delivered(latency);
        } else if (result instanceof EhrClient.Refused refused) {
            delivery.failed(refused.error(), refused.httpStatus(), refused.outcome(), now);
            log.warn("The EHR refused submission {} ({}); parked as failed", id, refused.httpStatus());
            return metrics::refused;
        } else if (result instanceof EhrClient.Retry retry) {
            if (delivery.attempts() + 1 >= maxAttempts) {
                delivery.failed(retry.error() + "; gave up after " + maxAttempts + " attempts", retry.httpStatus(),
                        null, now);
                log.warn("Delivery of submission {} failed {} times; parked as failed", id, maxAttempts);
                return metrics::exhausted;
            } else {
                Duration wait = backoff.after(delivery.attempts() + 1, retry.retryAfter());
                delivery.retryLater(retry.error(), retry.httpStatus(), now.plus(wait), now);
                log.info("Delivery of submission {} will be retried in {} ms ({})", id, wait.toMillis(),
                        retry.error());
                return metrics::retried;
            }
        }
        return null;
    }

    /** The response and everything its triage wrote, with the module's Device that the Provenance names. */
    private List<Resource> resources(String submissionId) {
        List<Resource> resources = new ArrayList<>();
        intake.read(submissionId).ifPresent(resources::add);
        List<Resource> written = results.forSubmission(submissionId);
        resources.addAll(written);
        written.stream().filter(Provenance.class::isInstance).map(Provenance.class::cast)
                .flatMap(p -> p.getAgent().stream())
                .map(agent -> agent.getWho().getReferenceElement())
                .filter(ref -> "Device".equals(ref.getResourceType()))
                .map(ref -> results.read("Device", ref.getIdPart()))
                .flatMap(Optional::stream)
                .distinct()
                .forEach(resources::add);
        return resources;
    }

    static Map<String, String> parseIds(String stored) {
        if (stored == null || stored.isBlank()) {
            return Map.of();
        }
        return stored.lines().map(line -> line.split("=", 2)).filter(parts -> parts.length == 2)
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> b,
                        java.util.LinkedHashMap::new));
    }
}
