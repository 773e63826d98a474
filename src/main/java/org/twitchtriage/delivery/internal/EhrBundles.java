package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
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
 * conditional create on a stable identifier (a resend never duplicates), or for a conditional update on it when a
 * correction changed it, in dependency order, and for transaction mode one Bundle whose entries reference each
 * other through {@code urn:uuid} fullUrls.
 */
public final class EhrBundles {

    static final String SID = FhirIds.CANONICAL_BASE + "/sid/";
    private static final List<Class<? extends Resource>> ORDER = List.of(
            Device.class, QuestionnaireResponse.class, Observation.class, ServiceRequest.class, Provenance.class);

    private final FhirContext fhirContext;

    EhrBundles(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** What the EHR is asked to do with one resource. */
    enum Action {
        /** Create it unless a resource with its identifier exists: {@code POST Type} with {@code ifNoneExist}. */
        CREATE,
        /** Replace the resource with its identifier (create it if none): {@code PUT Type?identifier=...}. */
        UPDATE,
        /**
         * Write it at a known id, {@code PUT Type/id}: the module's own id where the EHR creates on update (client
         * ids), or the EHR's id of a resource it has, with {@code If-Match} on its version.
         */
        PUT,
        /** Create it, {@code POST Type} without a condition: the EHR was searched first and has none. */
        POST
    }

    /**
     * One resource to send.
     *
     * @param condition the search that finds the resource in the EHR, e.g. {@code identifier=system%7Cvalue}
     * @param ifMatch for an update, the EHR's version it must still be at ({@code W/"3"}); null for none
     * @param localVersion the version of the module's resource sent
     * @param target for {@link Action#PUT}, the id it is written at ({@code Type/id}); null otherwise
     */
    record Entry(
            String localReference,
            String fullUrl,
            Resource resource,
            String condition,
            Action action,
            String ifMatch,
            int localVersion,
            String target) {

        Entry(
                String localReference,
                String fullUrl,
                Resource resource,
                String condition,
                Action action,
                String ifMatch,
                int localVersion) {
            this(localReference, fullUrl, resource, condition, action, ifMatch, localVersion, null);
        }

        String ifNoneExist() {
            return action == Action.CREATE ? condition : null;
        }

        /** Where the request goes, relative to the EHR's base. */
        String url() {
            return switch (action) {
                case CREATE, POST -> resource.fhirType();
                case UPDATE -> resource.fhirType() + "?" + condition;
                case PUT -> target;
            };
        }

        /** This resource as a conditional update, on the EHR's version given (none: whatever is there). */
        Entry update(String ehrVersion) {
            return new Entry(
                    localReference, fullUrl, resource, condition, Action.UPDATE, etag(ehrVersion), localVersion, null);
        }

        /** This resource written at {@code Type/id}, on the EHR's version given (none: whatever is there). */
        Entry putAt(String reference, String ehrVersion) {
            return new Entry(
                    localReference,
                    fullUrl,
                    resource,
                    condition,
                    Action.PUT,
                    etag(ehrVersion),
                    localVersion,
                    reference);
        }

        /** This resource as a plain create. */
        Entry post() {
            return new Entry(localReference, fullUrl, resource, condition, Action.POST, null, localVersion, null);
        }

        /** This resource as a conditional create. */
        Entry create() {
            return new Entry(localReference, fullUrl, resource, condition, Action.CREATE, null, localVersion, null);
        }

        private static String etag(String version) {
            return version == null ? null : "W/\"" + version + "\"";
        }
    }

    /** The resources in the order they must be created: what others reference first, Provenance last. */
    List<Entry> entries(String submissionId, List<Resource> resources) {
        List<Resource> ordered = new ArrayList<>(resources);
        ordered.sort(Comparator.comparingInt(EhrBundles::rank));
        List<Entry> entries = new ArrayList<>();
        for (Resource resource : ordered) {
            String local = local(resource);
            String fullUrl =
                    "urn:uuid:" + UUID.nameUUIDFromBytes((submissionId + " " + local).getBytes(StandardCharsets.UTF_8));
            Resource prepared = prepare(resource, submissionId);
            entries.add(new Entry(
                    local, fullUrl, prepared, condition(prepared), Action.CREATE, null, localVersion(resource)));
        }
        return entries;
    }

    /** The transaction Bundle: references between the entries rewritten to their fullUrls. */
    Bundle transaction(List<Entry> entries) {
        return transaction(entries, Map.of());
    }

    /**
     * The transaction Bundle: references between the entries rewritten to their fullUrls, and references to the
     * module's resources already in the EHR to the EHR's ids.
     *
     * @param known local reference ({@code Type/id}) to the EHR's reference, for resources not in the Bundle
     */
    Bundle transaction(List<Entry> entries, Map<String, String> known) {
        Map<String, String> targets = new HashMap<>(known);
        // A resource written at a known id is referenced by that id; the others by their fullUrl.
        entries.forEach(e -> targets.put(e.localReference(), e.action() == Action.PUT ? e.target() : e.fullUrl()));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Entry entry : entries) {
            Resource resource = entry.resource().copy();
            rewrite(resource, targets);
            Bundle.BundleEntryRequestComponent request = bundle.addEntry()
                    .setFullUrl(entry.fullUrl())
                    .setResource(written(entry, resource))
                    .getRequest()
                    .setUrl(entry.url());
            switch (entry.action()) {
                case CREATE -> request.setMethod(HTTPVerb.POST).setIfNoneExist(entry.ifNoneExist());
                case POST -> request.setMethod(HTTPVerb.POST);
                case UPDATE, PUT -> request.setMethod(HTTPVerb.PUT).setIfMatch(entry.ifMatch());
            }
        }
        return bundle;
    }

    /** The resource as written: one written at a known id carries that id, as an update by id requires. */
    static Resource written(Entry entry, Resource resource) {
        if (entry.action() == Action.PUT) {
            resource.setId(new IdType(entry.target()).getIdPart());
        }
        return resource;
    }

    /**
     * Rewrites references to the submission's resources to where they are in the EHR (or in the Bundle). A
     * versioned local reference ({@code Observation/x/_history/2}) becomes the unversioned target: the EHR numbers
     * its versions its own way.
     */
    void rewrite(Resource resource, Map<String, String> references) {
        for (Reference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = references.get(unversioned(reference.getReference()));
            if (target != null) {
                reference.setReference(target);
            }
        }
    }

    /** {@code Type/id} of a local reference, versioned or not; the reference itself when it is something else. */
    static String unversioned(String reference) {
        return isLocal(reference) ? FhirIds.reference(new IdType(reference)) : reference;
    }

    /** The local references ({@code Type/id}, unversioned) a resource makes. */
    Set<String> references(Resource resource) {
        Set<String> found = new LinkedHashSet<>();
        for (Reference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (isLocal(reference.getReference())) {
                found.add(unversioned(reference.getReference()));
            }
        }
        return found;
    }

    private static boolean isLocal(String reference) {
        if (reference == null || reference.startsWith("urn:") || reference.startsWith("#")) {
            return false;
        }
        IdType id = new IdType(reference);
        return !id.isAbsolute() && id.hasResourceType() && id.hasIdPart();
    }

    private static int localVersion(Resource resource) {
        String version = resource.getMeta().hasVersionId()
                ? resource.getMeta().getVersionId()
                : resource.getIdElement().getVersionIdPart();
        try {
            return version == null ? 1 : Integer.parseInt(version);
        } catch (NumberFormatException notNumbered) {
            return 1;
        }
    }

    static String local(Resource resource) {
        return FhirIds.reference(resource);
    }

    /** The resource as it is sent: no local id or version, the keys its conditional requests match on. */
    static Resource prepare(Resource resource, String submissionId) {
        Resource copy = resource.copy();
        copy.setId((String) null);
        copy.getMeta().setVersionId(null).setLastUpdated(null);
        if (copy instanceof QuestionnaireResponse response
                && !response.getIdentifier().hasValue()) {
            response.setIdentifier(
                    new Identifier().setSystem(SID + "questionnaire-response").setValue(submissionId));
        }
        if (copy instanceof Provenance) {
            // Provenance has no identifier in R4; a tag carries the key its conditional create matches on: its id,
            // which for the triage's Provenance is the submission's and for a revision's {submission}-{version}.
            copy.getMeta()
                    .addTag(new Coding(
                            SID + "provenance", resource.getIdElement().getIdPart(), null));
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
        if (resource instanceof DocumentReference r) {
            return r.getIdentifierFirstRep();
        }
        throw new IllegalArgumentException("No identifier to create " + resource.fhirType() + " conditionally");
    }

    /** Entries in the order they must be written, keeping the order of those of one kind. */
    static final Comparator<Entry> DEPENDENCIES = Comparator.comparingInt(entry -> rank(entry.resource()));

    private static int rank(Resource resource) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (ORDER.get(i).isInstance(resource)) {
                return i * 10;
            }
        }
        if (resource instanceof DocumentReference) {
            return 37; // after what it summarises, before the Provenance.
        }
        return 35; // Communication: after the orders it is based on, before the Provenance that names it.
    }
}
