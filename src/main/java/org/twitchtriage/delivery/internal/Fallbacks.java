package org.twitchtriage.delivery.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.fhir.FhirIds;

/**
 * Fits what a delivery creates to what the EHR can take, type by type. A type the EHR cannot create is not sent,
 * and every reference to it from what is sent becomes a logical reference (its identifier), so nothing sent points
 * at a resource the EHR does not have. A type it can create but not conditionally is written at the module's own id
 * where the EHR creates on update, or else created after a search by identifier found none.
 */
final class Fallbacks {

    private final EhrClient client;
    private final LogicalReferences logical;

    Fallbacks(EhrClient client, LogicalReferences logical) {
        this.client = client;
        this.logical = logical;
    }

    /**
     * What to send.
     *
     * @param entries the requests, in dependency order
     * @param known local reference to the EHR's, for what the entries reference that the EHR has
     * @param found what a search found already in the EHR, not sent again (for the ledger)
     * @param skipped what is not sent because the EHR cannot take it, and why
     * @param problem set when a search could not be made: the delivery waits or fails as it says
     */
    record Fitted(
            List<EhrBundles.Entry> entries,
            Map<String, String> known,
            List<Delivery.EhrId> found,
            List<Delivery.Left> skipped,
            EhrClient.Result problem) {}

    /**
     * @param entries the requests as the module would make them of an EHR that takes everything; updates (of
     *     amendments) are kept as they are, creates fitted to the EHR
     * @param known local reference to the EHR's, for the module's resources the EHR has from earlier deliveries
     * @param notSent resources left out before (updates the EHR cannot take) that references must not point at
     *     unless the EHR has them
     */
    Fitted fit(
            List<EhrBundles.Entry> entries,
            Map<String, String> known,
            CapabilitiesCheck.Support support,
            Map<String, Resource> notSent) {
        Map<String, String> ehr = new LinkedHashMap<>(known);
        List<EhrBundles.Entry> kept = new ArrayList<>();
        List<Delivery.EhrId> found = new ArrayList<>();
        List<Delivery.Left> skipped = new ArrayList<>();
        Map<String, Resource> leftOut = new HashMap<>(notSent);
        for (EhrBundles.Entry entry : entries) {
            if (entry.action() != EhrBundles.Action.CREATE) {
                kept.add(entry);
                continue;
            }
            String type = entry.resource().fhirType();
            switch (support.write(type)) {
                case CONDITIONAL_CREATE -> kept.add(entry);
                case UPDATE_AS_CREATE ->
                    kept.add(entry.putAt(type + "/" + new IdType(entry.localReference()).getIdPart(), null));
                case CREATE -> kept.add(entry.post());
                case SEARCH_THEN_CREATE -> {
                    EhrClient.Search search = client.search(type, entry.condition());
                    if (search.problem() != null) {
                        return new Fitted(List.of(), known, List.of(), List.of(), search.problem());
                    }
                    if (search.matches().isEmpty()) {
                        kept.add(entry.post());
                    } else {
                        Resource there = search.matches().get(0);
                        String reference = FhirIds.reference(there);
                        ehr.put(entry.localReference(), reference);
                        found.add(new Delivery.EhrId(entry.localReference(), reference, versionOf(there), null));
                    }
                }
                case NONE -> {
                    skipped.add(Delivery.Left.skipped(
                            entry.localReference(),
                            "the EHR cannot create " + type + " (its CapabilityStatement lists no create for it);"
                                    + " not sent, and what is sent names it by its identifier"));
                    leftOut.put(entry.localReference(), entry.resource());
                }
            }
        }
        ehr.keySet().forEach(leftOut::remove);
        List<EhrBundles.Entry> sent = new ArrayList<>();
        for (EhrBundles.Entry entry : kept) {
            if (!leftOut.isEmpty()) {
                logical.rewrite(entry.resource(), leftOut);
            }
            if (entry.resource() instanceof Provenance provenance) {
                provenance.getTarget().removeIf(Reference::isEmpty);
                if (provenance.getTarget().isEmpty()) {
                    skipped.add(Delivery.Left.skipped(
                            entry.localReference(), "it would name nothing the EHR has; not sent"));
                    continue;
                }
            }
            sent.add(entry);
        }
        return new Fitted(sent, ehr, found, skipped, null);
    }

    private static String versionOf(Resource resource) {
        if (resource.getMeta().hasVersionId()) {
            return resource.getMeta().getVersionId();
        }
        return resource.getIdElement().getVersionIdPart();
    }
}
