package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
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
    private final CapabilitiesCheck capabilities;
    private final KnownPatients patients;
    private final Amendments amendments;
    private final Fallbacks fallbacks;
    private final Summaries summaries;
    private final Backoff backoff;
    private final int maxAttempts;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final ApplicationEventPublisher events;
    private final String baseUrl;

    DeliveryWork(
            DeliveryRepository repository,
            ResponseIntake intake,
            ResultsStore results,
            EhrClient client,
            CapabilitiesCheck capabilities,
            Summaries summaries,
            EhrProperties properties,
            TransactionTemplate transaction,
            Clock clock,
            DeliveryMetrics metrics,
            ApplicationEventPublisher events,
            FhirContext fhirContext) {
        this.repository = repository;
        this.intake = intake;
        this.results = results;
        this.client = client;
        this.capabilities = capabilities;
        this.patients = new KnownPatients(client, properties.requestTimeout(), clock);
        this.fallbacks = new Fallbacks(client, new LogicalReferences(fhirContext));
        this.summaries = summaries;
        this.amendments = new Amendments(intake, results, client, fallbacks, summaries);
        this.backoff = new Backoff(properties.retry());
        this.maxAttempts = properties.retry().maxAttempts();
        this.transaction = transaction;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.baseUrl = String.valueOf(properties.baseUrl());
    }

    /** What one attempt sends, and what it does not. */
    private record Attempt(
            List<Resource> resources,
            List<EhrBundles.Entry> entries,
            Map<String, String> known,
            List<Delivery.EhrId> found,
            List<Delivery.Left> ledger,
            EhrClient.Result problem) {

        static Attempt notNow(EhrClient.Result problem) {
            return new Attempt(List.of(), List.of(), Map.of(), List.of(), List.of(), problem);
        }
    }

    /** @param key the delivery's key: the submission id for its triage results, or that of a later batch */
    void deliver(String key) {
        Optional<Delivery> claimed = repository.findById(key);
        if (claimed.isEmpty()) {
            return;
        }
        String submissionId = claimed.get().submissionId();
        DeliveryBatch batch = claimed.get().batch();
        long started = System.nanoTime();
        Optional<CapabilitiesCheck.Support> support = capabilities.support();
        Attempt attempt = support.isEmpty()
                ? Attempt.notNow(new EhrClient.Retry(
                        "The EHR's CapabilityStatement could not be read; deliveries wait until it can be", null, null))
                : prepare(claimed.get(), support.get());
        EhrClient.Result result = attempt.problem() != null
                ? attempt.problem()
                : client.send(attempt.entries(), attempt.known(), support.get().transaction());
        if (result instanceof EhrClient.Delivered delivered && !attempt.found().isEmpty()) {
            List<Delivery.EhrId> written = new ArrayList<>(attempt.found());
            written.addAll(delivered.written());
            result = new EhrClient.Delivered(written);
        }
        metrics.attempt(result, Duration.ofNanos(System.nanoTime() - started));
        List<Delivery.Left> ledger = ledger(attempt, result);
        List<Delivery.Left> kept = attempt.ledger().stream()
                .filter(l -> Delivery.Left.LEFT.equals(l.outcome()))
                .toList();
        EhrClient.Result outcome = result;
        Runnable count = transaction.execute(status -> repository
                .findById(key)
                .map(delivery -> {
                    Runnable counting = record(delivery, outcome, ledger);
                    repository.save(delivery);
                    if (delivery.status() != DeliveryStatus.PENDING) {
                        events.publishEvent(delivery.statusChanged());
                    }
                    if (outcome instanceof EhrClient.Delivered && !kept.isEmpty()) {
                        events.publishEvent(needsAttention(delivery, kept));
                    }
                    return counting;
                })
                .orElse(null));
        if (count != null) {
            count.run(); // only once what it counts is committed
        }
        if (result instanceof EhrClient.Delivered && !attempt.resources().isEmpty()) {
            events.publishEvent(delivered(
                    submissionId, attempt.resources(), batch, support.get().transaction()));
        }
    }

    /** Gathers what the delivery carries and fits it to what the EHR takes. */
    private Attempt prepare(Delivery delivery, CapabilitiesCheck.Support support) {
        String submissionId = delivery.submissionId();
        if (delivery.batch() == DeliveryBatch.AMENDMENT) {
            List<Delivery.EhrId> earlier = transaction.execute(status -> repository.findDelivered(submissionId).stream()
                    .flatMap(d -> d.written().stream())
                    .toList());
            Optional<EhrClient.Result> unknown = patients.problem(
                    intake.read(submissionId).stream().map(Resource.class::cast).toList());
            if (unknown.isPresent()) {
                return Attempt.notNow(unknown.get());
            }
            Amendments.Plan plan =
                    amendments.plan(submissionId, delivery.revision(), earlier, support, delivery.createdAt());
            if (plan instanceof Amendments.Ready ready) {
                return new Attempt(ready.sent(), ready.entries(), ready.known(), ready.found(), ready.left(), null);
            }
            return Attempt.notNow(((Amendments.NotNow) plan).result());
        }
        List<Resource> resources =
                delivery.batch() == DeliveryBatch.APPROVED_ORDERS ? approved(submissionId) : triage(submissionId);
        Optional<EhrClient.Result> unknown = patients.problem(resources);
        if (unknown.isPresent()) {
            return Attempt.notNow(unknown.get());
        }
        List<EhrBundles.Entry> entries = new ArrayList<>(client.bundles().entries(submissionId, resources));
        if (delivery.batch() == DeliveryBatch.TRIAGE && summaries.wanted(support)) {
            resources.stream()
                    .filter(QuestionnaireResponse.class::isInstance)
                    .map(QuestionnaireResponse.class::cast)
                    .findFirst()
                    .ifPresent(response -> entries.addAll(client.bundles()
                            .entries(
                                    submissionId,
                                    List.of(summaries.write(
                                            response,
                                            results.forSubmission(submissionId),
                                            Optional.empty(),
                                            delivery.createdAt())))));
            entries.sort(EhrBundles.DEPENDENCIES);
        }
        Fallbacks.Fitted fitted = fallbacks.fit(entries, Map.of(), support, Map.of());
        if (fitted.problem() != null) {
            return Attempt.notNow(fitted.problem());
        }
        Map<String, Resource> stored = new LinkedHashMap<>();
        resources.forEach(r -> stored.put(EhrBundles.local(r), r));
        List<Resource> sent = fitted.entries().stream()
                .map(e -> stored.getOrDefault(e.localReference(), e.resource()))
                .toList();
        Map<String, String> known = new LinkedHashMap<>(fitted.known());
        fitted.entries().stream()
                .filter(e -> e.action() != EhrBundles.Action.PUT)
                .forEach(e -> known.remove(e.localReference()));
        return new Attempt(sent, fitted.entries(), known, fitted.found(), fitted.skipped(), null);
    }

    /**
     * The ledger beyond what was written: what was skipped or left, and, when the attempt failed, what the EHR did
     * not take (the one request that failed, or every entry of a transaction).
     */
    private static List<Delivery.Left> ledger(Attempt attempt, EhrClient.Result result) {
        List<Delivery.Left> ledger = new ArrayList<>(attempt.ledger());
        String error = null;
        String resource = null;
        if (result instanceof EhrClient.Refused refused) {
            error = refused.error();
            resource = refused.resource();
        } else if (result instanceof EhrClient.Retry retry) {
            error = retry.error();
            resource = retry.resource();
        }
        if (error != null) {
            if (resource != null) {
                ledger.add(Delivery.Left.failed(resource, error));
            } else {
                for (EhrBundles.Entry entry : attempt.entries()) {
                    ledger.add(Delivery.Left.failed(entry.localReference(), error));
                }
            }
        }
        return ledger;
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

    private SubmissionDelivered delivered(
            String submissionId, List<Resource> resources, DeliveryBatch batch, boolean asTransaction) {
        String patient =
                KnownPatients.patientOf(resources).map(IIdType::getIdPart).orElse(null);
        List<String> sent = resources.stream().map(FhirIds::reference).toList();
        String how = asTransaction ? "transaction" : batch == DeliveryBatch.AMENDMENT ? "update" : "create";
        return new SubmissionDelivered(submissionId, patient, sent, how, baseUrl);
    }

    /** Records the result on the delivery; returns what counts it for the metrics. */
    private Runnable record(Delivery delivery, EhrClient.Result result, List<Delivery.Left> ledger) {
        Instant now = clock.instant();
        String id = delivery.key();
        if (result instanceof EhrClient.Delivered delivered) {
            delivery.delivered(delivered.written(), ledger, now);
            log.info("Delivered submission {} to the EHR after {} attempt(s)", id, delivery.attempts());
            Duration latency = Duration.between(delivery.createdAt(), now);
            return () -> metrics.delivered(latency);
        } else if (result instanceof EhrClient.Refused refused) {
            delivery.failed(refused.error(), refused.httpStatus(), refused.outcome(), ledger, now);
            log.warn("The EHR refused submission {} ({}); parked as failed", id, refused.httpStatus());
            return metrics::refused;
        } else if (result instanceof EhrClient.Retry retry) {
            if (delivery.attempts() + 1 >= maxAttempts) {
                delivery.failed(
                        retry.error() + "; gave up after " + maxAttempts + " attempts",
                        retry.httpStatus(),
                        null,
                        ledger,
                        now);
                log.warn("Delivery of submission {} failed {} times; parked as failed", id, maxAttempts);
                return metrics::exhausted;
            } else {
                Duration wait = backoff.after(delivery.attempts() + 1, retry.retryAfter());
                delivery.retryLater(retry.error(), retry.httpStatus(), now.plus(wait), ledger, now);
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
