package org.twitchtriage.delivery.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.triage.SummaryDocuments;

/**
 * What the delivery of one revision of a submission sends: the resources the revision changed, at their current
 * versions, as updates by the id the EHR gave them with {@code If-Match} on the version the module last wrote there
 * (a conditional update only for one the EHR does not have); the resources it created (new orders, its Provenance)
 * as creates, fitted to what the EHR takes; and, where the submission has a readable summary, the next one, which
 * supersedes it. Before that, each resource to update is read in the EHR: one the EHR has moved on (an order it
 * completed, a resource changed there since the module wrote it) is left as the EHR has it, and said so; a type the
 * EHR cannot update is skipped, and said so.
 */
final class Amendments {

    private final ResponseIntake intake;
    private final ResultsStore results;
    private final EhrClient client;
    private final EhrBundles bundles;
    private final Fallbacks fallbacks;
    private final Summaries summaries;

    Amendments(
            ResponseIntake intake, ResultsStore results, EhrClient client, Fallbacks fallbacks, Summaries summaries) {
        this.intake = intake;
        this.results = results;
        this.client = client;
        this.bundles = client.bundles();
        this.fallbacks = fallbacks;
        this.summaries = summaries;
    }

    /** What came of preparing an amendment. */
    sealed interface Plan {}

    /**
     * Ready to send.
     *
     * @param entries what to send, in dependency order
     * @param known local reference to the EHR's, for the module's resources referenced but not sent
     * @param sent the module's resources the entries carry, as stored
     * @param left what is not sent because the EHR has moved on, or cannot take it (skipped)
     * @param found what a search found in the EHR already, not sent again
     */
    record Ready(
            List<EhrBundles.Entry> entries,
            Map<String, String> known,
            List<Resource> sent,
            List<Delivery.Left> left,
            List<Delivery.EhrId> found)
            implements Plan {

        Ready(
                List<EhrBundles.Entry> entries,
                Map<String, String> known,
                List<Resource> sent,
                List<Delivery.Left> left) {
            this(entries, known, sent, left, List.of());
        }
    }

    /** The EHR could not be asked what it has now; the delivery is tried again later or fails as the answer says. */
    record NotNow(EhrClient.Result result) implements Plan {}

    /**
     * @param revision the version of the response the amendment carries
     * @param delivered the submission's deliveries so far, in their order
     * @param support what the EHR takes
     * @param at when the amendment's delivery was recorded, the date of the summary it sends
     */
    Plan plan(
            String submissionId,
            int revision,
            List<Delivery.EhrId> delivered,
            CapabilitiesCheck.Support support,
            Instant at) {
        List<Resource> resources = new ArrayList<>();
        Optional<QuestionnaireResponse> response = intake.read(submissionId);
        response.ifPresent(resources::add);
        resources.addAll(results.changedSince(submissionId, revision));
        Map<String, Delivery.EhrId> lastWritten = lastWritten(delivered);
        Map<String, String> known = new LinkedHashMap<>();
        lastWritten.forEach((local, id) -> known.put(local, id.ehr()));
        Map<String, Resource> stored = new LinkedHashMap<>();
        resources.forEach(r -> stored.put(FhirIds.reference(r), r));

        List<EhrBundles.Entry> entries = new ArrayList<>();
        List<Delivery.Left> left = new ArrayList<>();
        List<Delivery.Left> skipped = new ArrayList<>();
        Map<String, Resource> notSent = new LinkedHashMap<>();
        for (EhrBundles.Entry entry : bundles.entries(submissionId, resources)) {
            if (!isUpdate(entry)) {
                entries.add(entry);
                continue;
            }
            String type = entry.resource().fhirType();
            EhrCapabilities.TypeSupport can = support.type(type);
            Delivery.EhrId last = lastWritten.get(entry.localReference());
            if (!can.update()) {
                skipped.add(Delivery.Left.skipped(
                        entry.localReference(),
                        "the EHR cannot update " + type + " (its CapabilityStatement lists no update for it); not"
                                + " sent, so the EHR keeps what it was sent before, if anything"));
                notSent.put(entry.localReference(), entry.resource());
                continue;
            }
            EhrClient.Search search = find(entry, can, last);
            if (search.problem() != null) {
                return new NotNow(search.problem());
            }
            Decision decision = decide(submissionId, entry, search.matches(), last, can);
            if (decision.ehr() != null) {
                known.putIfAbsent(entry.localReference(), decision.ehr());
            }
            if (decision.send() != null) {
                entries.add(decision.send());
            } else {
                left.add(new Delivery.Left(entry.localReference(), decision.ehr(), decision.why()));
            }
        }
        Set<String> kept = new HashSet<>();
        left.forEach(l -> kept.add(l.local()));
        skipped.forEach(l -> kept.add(l.local()));
        entries = withoutLeftTargets(entries, kept);
        entries.addAll(missing(submissionId, entries, known, notSent.keySet()));
        if (response.isPresent()) {
            Optional<NotNow> problem = summary(submissionId, response.get(), delivered, support, at, entries, left);
            if (problem.isPresent()) {
                return problem.get();
            }
        }
        entries.sort(EhrBundles.DEPENDENCIES);
        Fallbacks.Fitted fitted = fallbacks.fit(entries, known, support, notSent);
        if (fitted.problem() != null) {
            return new NotNow(fitted.problem());
        }
        List<Resource> sent = fitted.entries().stream()
                .map(e -> stored.getOrDefault(e.localReference(), e.resource()))
                .toList();
        Map<String, String> referenced = new LinkedHashMap<>(fitted.known());
        fitted.entries().stream()
                .filter(e -> e.action() != EhrBundles.Action.PUT)
                .forEach(e -> referenced.remove(e.localReference()));
        List<Delivery.Left> ledger = new ArrayList<>(left);
        ledger.addAll(skipped);
        ledger.addAll(fitted.skipped());
        return new Ready(fitted.entries(), referenced, sent, ledger, fitted.found());
    }

    /**
     * The summary of this revision, where one goes: a new document that replaces the one the EHR has, which becomes
     * {@code superseded}; for a retraction, no new document, and the one the EHR has becomes {@code entered-in-error}.
     */
    private Optional<NotNow> summary(
            String submissionId,
            QuestionnaireResponse response,
            List<Delivery.EhrId> delivered,
            CapabilitiesCheck.Support support,
            Instant at,
            List<EhrBundles.Entry> entries,
            List<Delivery.Left> left) {
        Optional<String> previous = Summaries.latest(delivered);
        boolean retracted = response.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR;
        boolean next = !retracted && !summaries.never() && (previous.isPresent() || summaries.wanted(support));
        if (next) {
            DocumentReference document = summaries.write(response, results.forSubmission(submissionId), previous, at);
            entries.addAll(bundles.entries(submissionId, List.of(document)));
        }
        if (previous.isEmpty() || !(next || retracted)) {
            return Optional.empty();
        }
        DocumentReferenceStatus status =
                retracted ? DocumentReferenceStatus.ENTEREDINERROR : DocumentReferenceStatus.SUPERSEDED;
        EhrCapabilities.TypeSupport can = support.type(Summaries.TYPE);
        String local = previous.get();
        String ehr = lastWritten(delivered).get(local).ehr();
        if (!can.update()) {
            left.add(Delivery.Left.skipped(
                    local,
                    "the EHR cannot update DocumentReference, so the summary it has stays current there; not"
                            + " marked " + status.toCode()));
            return Optional.empty();
        }
        String condition = "identifier="
                + URLEncoder.encode(
                        SummaryDocuments.IDENTIFIER_SYSTEM + "|" + new IdType(local).getIdPart(),
                        StandardCharsets.UTF_8);
        EhrClient.Search search = can.search() ? client.search(Summaries.TYPE, condition) : client.fetch(ehr);
        if (search.problem() != null) {
            return Optional.of(new NotNow(search.problem()));
        }
        if (search.matches().size() != 1) {
            left.add(new Delivery.Left(
                    local,
                    ehr,
                    local + ": the EHR has " + search.matches().size() + " summaries with its identifier; not marked "
                            + status.toCode()));
            return Optional.empty();
        }
        Resource there = search.matches().get(0);
        DocumentReference marked = (DocumentReference) there.copy();
        marked.setStatus(status);
        String version = versionOf(there);
        marked.setId((String) null);
        marked.getMeta().setVersionId(null).setLastUpdated(null);
        entries.add(new EhrBundles.Entry(
                local,
                "urn:uuid:"
                        + UUID.nameUUIDFromBytes(
                                (submissionId + " " + local + " " + status.toCode()).getBytes(StandardCharsets.UTF_8)),
                marked,
                condition,
                EhrBundles.Action.PUT,
                version == null ? null : "W/\"" + version + "\"",
                1,
                FhirIds.reference(there)));
        return Optional.empty();
    }

    /** What the EHR has of a resource to update: a search by identifier, or a read of the id it was given. */
    private EhrClient.Search find(EhrBundles.Entry entry, EhrCapabilities.TypeSupport can, Delivery.EhrId last) {
        if (can.search()) {
            return client.search(entry.resource().fhirType(), entry.condition());
        }
        if (last != null) {
            return client.fetch(last.ehr());
        }
        return new EhrClient.Search(List.of(), null);
    }

    /**
     * For each of the module's resources, what the EHR has of it from the latest delivery that wrote it (or, if
     * none wrote it, the first that found it there).
     */
    static Map<String, Delivery.EhrId> lastWritten(List<Delivery.EhrId> delivered) {
        Map<String, Delivery.EhrId> last = new LinkedHashMap<>();
        for (Delivery.EhrId id : delivered) {
            if (id.localVersion() != null) {
                last.put(id.local(), id);
            } else {
                last.putIfAbsent(id.local(), id);
            }
        }
        return last;
    }

    /** A resource the EHR has had since an earlier delivery: the response, and what a revision changed. */
    private static boolean isUpdate(EhrBundles.Entry entry) {
        return !(entry.resource() instanceof Provenance)
                && (entry.resource() instanceof QuestionnaireResponse || entry.localVersion() > 1);
    }

    /**
     * @param send the entry to send as a conditional update; null when the resource is left as the EHR has it
     * @param ehr the EHR's resource it updates, when there is one
     * @param why why it is left
     */
    private record Decision(EhrBundles.Entry send, String ehr, String why) {}

    private Decision decide(
            String submissionId,
            EhrBundles.Entry entry,
            List<Resource> matches,
            Delivery.EhrId last,
            EhrCapabilities.TypeSupport can) {
        String local = entry.localReference();
        if (matches.isEmpty()) {
            // Nothing to keep there: a conditional update creates it, or else the create the EHR can take.
            return new Decision(can.conditionalUpdate() ? entry.update(null) : entry.create(), null, null);
        }
        if (matches.size() > 1) {
            return new Decision(
                    null,
                    null,
                    local + ": the EHR has " + matches.size() + " resources with its identifier; left as the EHR has"
                            + " them");
        }
        Resource there = matches.get(0);
        String ehr = FhirIds.reference(there);
        String version = versionOf(there);
        if (there instanceof ServiceRequest order
                && order.getStatus() == ServiceRequest.ServiceRequestStatus.COMPLETED) {
            return new Decision(
                    null, ehr, local + ": the EHR has completed this order (" + ehr + "); left as the EHR has it");
        }
        if (EhrStates.same(there, entry.resource())) {
            // What this amendment sends is there already (an earlier attempt wrote it): sending it again is harmless.
            return new Decision(entry.putAt(ehr, version), ehr, null);
        }
        if (last != null && last.ehrVersion() != null && version != null) {
            if (version.equals(last.ehrVersion())) {
                return new Decision(entry.putAt(ehr, version), ehr, null);
            }
            return new Decision(
                    null,
                    ehr,
                    local + ": changed in the EHR (" + ehr + " is at version " + version + ", the module wrote version "
                            + last.ehrVersion() + "); left as the EHR has it");
        }
        // The EHR gives no versions to compare: compare what it has with what the module wrote there.
        for (Resource written : writtenBefore(entry, last)) {
            if (EhrStates.same(there, EhrBundles.prepare(written, submissionId))) {
                return new Decision(entry.putAt(ehr, version), ehr, null);
            }
        }
        return new Decision(
                null,
                ehr,
                local + ": changed in the EHR (" + ehr + ") since the module wrote it; left as the EHR has it");
    }

    /** The versions of the resource the module may have written to the EHR before this one. */
    private List<Resource> writtenBefore(EhrBundles.Entry entry, Delivery.EhrId last) {
        IdType id = new IdType(entry.localReference());
        if (last != null && last.localVersion() != null) {
            return version(id, last.localVersion()).stream().toList();
        }
        List<Resource> versions = new ArrayList<>();
        for (int v = entry.localVersion() - 1; v >= 1; v--) {
            version(id, v).ifPresent(versions::add);
        }
        return versions;
    }

    private Optional<Resource> version(IdType id, int version) {
        if ("QuestionnaireResponse".equals(id.getResourceType())) {
            return intake.read(id.getIdPart(), version).map(Resource.class::cast);
        }
        return results.read(id.getResourceType(), id.getIdPart(), version);
    }

    /**
     * A revision's Provenance names what it changed: what is left as the EHR has it was not changed there, so it
     * is not named; a Provenance that would name nothing is not sent.
     */
    private static List<EhrBundles.Entry> withoutLeftTargets(List<EhrBundles.Entry> entries, Set<String> left) {
        List<EhrBundles.Entry> kept = new ArrayList<>();
        for (EhrBundles.Entry entry : entries) {
            if (entry.resource() instanceof Provenance provenance && !left.isEmpty()) {
                provenance.getTarget().removeIf(t -> left.contains(EhrBundles.unversioned(t.getReference())));
                provenance
                        .getEntity()
                        .removeIf(e -> e.getRole() == Provenance.ProvenanceEntityRole.REVISION
                                && left.contains(
                                        EhrBundles.unversioned(e.getWhat().getReference())));
                if (provenance.getTarget().isEmpty()) {
                    continue;
                }
            }
            kept.add(entry);
        }
        return kept;
    }

    /**
     * The module's resources the entries reference that the EHR is not known to have (the module's Device, say,
     * when no earlier delivery said where it is): conditional creates, which find them if they are there.
     */
    private List<EhrBundles.Entry> missing(
            String submissionId, List<EhrBundles.Entry> entries, Map<String, String> known, Set<String> notSent) {
        Set<String> sending = new HashSet<>(notSent);
        entries.forEach(e -> sending.add(e.localReference()));
        List<Resource> needed = new ArrayList<>();
        for (EhrBundles.Entry entry : entries) {
            for (String reference : bundles.references(entry.resource())) {
                if (!sending.contains(reference) && !known.containsKey(reference)) {
                    IdType id = new IdType(reference);
                    Optional<Resource> resource = "QuestionnaireResponse".equals(id.getResourceType())
                            ? intake.read(id.getIdPart()).map(Resource.class::cast)
                            : results.read(id.getResourceType(), id.getIdPart());
                    resource.ifPresent(r -> {
                        needed.add(r);
                        sending.add(reference);
                    });
                }
            }
        }
        return bundles.entries(submissionId, needed);
    }

    private static String versionOf(Resource resource) {
        if (resource.getMeta().hasVersionId()) {
            return resource.getMeta().getVersionId();
        }
        return resource.getIdElement().getVersionIdPart();
    }
}
