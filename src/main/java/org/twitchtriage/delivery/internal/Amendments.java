package org.twitchtriage.delivery.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;

/**
 * What the delivery of one revision of a submission sends: the resources the revision changed, at their current
 * versions, as conditional updates on their identifiers with {@code If-Match} on the version the module last wrote
 * in the EHR; the resources it created (new orders, its Provenance) as conditional creates. Before that, each
 * resource to update is read in the EHR: one the EHR has moved on (an order it completed, a resource changed there
 * since the module wrote it) is left as the EHR has it, and said so.
 */
final class Amendments {

    private final ResponseIntake intake;
    private final ResultsStore results;
    private final EhrClient client;
    private final EhrBundles bundles;

    Amendments(ResponseIntake intake, ResultsStore results, EhrClient client) {
        this.intake = intake;
        this.results = results;
        this.client = client;
        this.bundles = client.bundles();
    }

    /** What came of preparing an amendment. */
    sealed interface Plan {}

    /**
     * Ready to send.
     *
     * @param entries what to send, in dependency order
     * @param known local reference to the EHR's, for the module's resources referenced but not sent
     * @param sent the module's resources the entries carry, as stored
     * @param left what is not sent because the EHR has moved on
     */
    record Ready(
            List<EhrBundles.Entry> entries, Map<String, String> known, List<Resource> sent, List<Delivery.Left> left)
            implements Plan {}

    /** The EHR could not be asked what it has now; the delivery is tried again later or fails as the answer says. */
    record NotNow(EhrClient.Result result) implements Plan {}

    /**
     * @param revision the version of the response the amendment carries
     * @param delivered the submission's deliveries so far, in their order
     */
    Plan plan(String submissionId, int revision, List<Delivery.EhrId> delivered) {
        List<Resource> resources = new ArrayList<>();
        intake.read(submissionId).ifPresent(resources::add);
        resources.addAll(results.changedSince(submissionId, revision));
        Map<String, Delivery.EhrId> lastWritten = lastWritten(delivered);
        Map<String, String> known = new LinkedHashMap<>();
        lastWritten.forEach((local, id) -> known.put(local, id.ehr()));
        Map<String, Resource> stored = new LinkedHashMap<>();
        resources.forEach(r -> stored.put(FhirIds.reference(r), r));

        List<EhrBundles.Entry> entries = new ArrayList<>();
        List<Delivery.Left> left = new ArrayList<>();
        for (EhrBundles.Entry entry : bundles.entries(submissionId, resources)) {
            if (!isUpdate(entry)) {
                entries.add(entry);
                continue;
            }
            EhrClient.Search search = client.search(entry.resource().fhirType(), entry.condition());
            if (search.problem() != null) {
                return new NotNow(search.problem());
            }
            Decision decision = decide(submissionId, entry, search.matches(), lastWritten.get(entry.localReference()));
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
        entries = withoutLeftTargets(entries, kept);
        entries.addAll(missing(submissionId, entries, known));
        entries.sort(EhrBundles.DEPENDENCIES);
        List<Resource> sent = entries.stream()
                .map(e -> stored.getOrDefault(e.localReference(), e.resource()))
                .toList();
        entries.forEach(e -> known.remove(e.localReference()));
        return new Ready(entries, known, sent, left);
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

    private Decision decide(String submissionId, EhrBundles.Entry entry, List<Resource> matches, Delivery.EhrId last) {
        String local = entry.localReference();
        if (matches.isEmpty()) {
            return new Decision(entry.update(null), null, null);
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
            return new Decision(entry.update(version), ehr, null);
        }
        if (last != null && last.ehrVersion() != null && version != null) {
            if (version.equals(last.ehrVersion())) {
                return new Decision(entry.update(version), ehr, null);
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
                return new Decision(entry.update(version), ehr, null);
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
            String submissionId, List<EhrBundles.Entry> entries, Map<String, String> known) {
        Set<String> sending = new HashSet<>();
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
