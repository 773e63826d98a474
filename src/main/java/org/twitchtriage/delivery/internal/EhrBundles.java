package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.twitchtriage.fhir.FhirIds;

/**
 * Turns one submission's resources into what the EHR receives: each resource prepared for a
 * conditional create on a stable identifier (a resend never duplicates), in dependency order, and
 * for transaction mode one Bundle whose entries reference each other through {@code urn:uuid} fullUrls.
 */
public final class EhrBundles {

    static final String SID = FhirIds.CANONICAL_BASE + "/sid/";
    private static final List<Class<? extends Resource>> ORDER = List.of(
            Device.class, QuestionnaireResponse.class, Observation.class, ServiceRequest.class, Provenance.class);

    private final FhirContext fhirContext;

    EhrBundles(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** One resource to create in the EHR unless its identifier already exists there. */
    record Entry(String localReference, String fullUrl, Resource resource, String ifNoneExist) {}

    /** The resources in the order they must be created: what others reference first, Provenance last. */
    List<Entry> entries(String submissionId, List<Resource> resources) {
        List<Resource> ordered = new ArrayList<>(resources);
        ordered.sort(Comparator.comparingInt(EhrBundles::rank));
        Map<String, String> fullUrls = new HashMap<>();
        for (Resource resource : ordered) {
            String local = local(resource);
            fullUrls.put(
                    local,
                    "urn:uuid:"
                            + UUID.nameUUIDFromBytes((submissionId + " " + local).getBytes(StandardCharsets.UTF_8)));
        }
        List<Entry> entries = new ArrayList<>();
        for (Resource resource : ordered) {
            Resource prepared = prepare(resource, submissionId);
            entries.add(new Entry(local(resource), fullUrls.get(local(resource)), prepared, condition(prepared)));
        }
        return entries;
    }

    /** The transaction Bundle: references between the entries rewritten to their fullUrls. */
    Bundle transaction(List<Entry> entries) {
        Map<String, String> fullUrls = new HashMap<>();
        entries.forEach(e -> fullUrls.put(e.localReference(), e.fullUrl()));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Entry entry : entries) {
            Resource resource = entry.resource().copy();
            rewrite(resource, fullUrls);
            bundle.addEntry()
                    .setFullUrl(entry.fullUrl())
                    .setResource(resource)
                    .getRequest()
                    .setMethod(HTTPVerb.POST)
                    .setUrl(resource.fhirType())
                    .setIfNoneExist(entry.ifNoneExist());
        }
        return bundle;
    }

    /** Rewrites references between the submission's resources to the ids the EHR gave them. */
    void rewrite(Resource resource, Map<String, String> references) {
        for (Reference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = references.get(reference.getReference());
            if (target != null) {
                reference.setReference(target);
            }
        }
    }

    static String local(Resource resource) {
        return FhirIds.reference(resource);
    }

    private static Resource prepare(Resource resource, String submissionId) {
        Resource copy = resource.copy();
        copy.setId((String) null);
        copy.getMeta().setVersionId(null).setLastUpdated(null);
        if (copy instanceof QuestionnaireResponse response
                && !response.getIdentifier().hasValue()) {
            response.setIdentifier(
                    new Identifier().setSystem(SID + "questionnaire-response").setValue(submissionId));
        }
        if (copy instanceof Provenance) {
            // Provenance has no identifier in R4; a tag carries the key its conditional create matches on.
            copy.getMeta().addTag(new Coding(SID + "provenance", submissionId, null));
        }
        return copy;
    }

    private static String condition(Resource resource) {
        if (resource instanceof Provenance provenance) {
            Coding tag = provenance.getMeta().getTag().stream()
                    .filter(t -> (SID + "provenance").equals(t.getSystem()))
                    .findFirst()
                    .orElseThrow();
            return "_tag=" + encode(tag.getSystem() + "|" + tag.getCode());
        }
        Identifier identifier = identifier(resource);
        String system = identifier.hasSystem() ? identifier.getSystem() : "";
        return "identifier=" + encode(system + "|" + identifier.getValue());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Identifier identifier(Resource resource) {
        if (resource instanceof QuestionnaireResponse r) {
            return r.getIdentifier();
        }
        if (resource instanceof Observation r) {
            return r.getIdentifierFirstRep();
        }
        if (resource instanceof ServiceRequest r) {
            return r.getIdentifierFirstRep();
        }
        if (resource instanceof Device r) {
            return r.getIdentifierFirstRep();
        }
        if (resource instanceof Communication r) {
            return r.getIdentifierFirstRep();
        }
        throw new IllegalArgumentException("No identifier to create " + resource.fhirType() + " conditionally");
    }

    private static int rank(Resource resource) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (ORDER.get(i).isInstance(resource)) {
                return i * 10;
            }
        }
        return 35; // Communication: after the orders it is based on, before the Provenance that names it.
    }
}
