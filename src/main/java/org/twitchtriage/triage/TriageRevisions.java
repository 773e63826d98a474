package org.twitchtriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.twitchtriage.fhir.FhirIds;

/**
 * What a correction or a retraction of a response changes in what its triage wrote (contract section 6): new
 * versions of the resources that change, new resources for orders newly indicated, and a Provenance for the
 * revision. Works on FHIR resources only: the current versions of what was written, and a fresh triage of the
 * corrected answers.
 */
public final class TriageRevisions {

    private static final String DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    private static final String ORDER_IDENTIFIER = TriageDocuments.IDENTIFIER_BASE + "triage-order";
    private static final String APPROVED_IDENTIFIER = TriageDocuments.IDENTIFIER_BASE + "approved-order";

    private final TriageProperties properties;

    public TriageRevisions(TriageProperties properties) {
        this.properties = properties;
    }

    /**
     * The new versions and new resources a correction writes: the Observation amended with a note on what
     * changed, orders no longer indicated revoked, orders newly indicated created, orders whose priority changed
     * replaced, the guidance replaced when it says something else, and a Provenance naming the versions
     * replaced. Orders that stay as they were are left alone.
     *
     * @param amended the corrected response as stored: its id is the submission's, its version the revision's
     * @param previous the current versions of everything written for the submission so far
     * @param fresh the triage of the corrected answers, as a first submission of them would have written it
     */
    public List<Resource> amend(
            QuestionnaireResponse amended, List<Resource> previous, TriageResources fresh, Instant now) {
        Map<String, Resource> before = byReference(previous);
        Revision revision = new Revision(amended, now);
        Observation earlier = (Observation) before.get(FhirIds.reference(fresh.observation()));
        Observation observation = fresh.observation().copy();
        if (earlier != null) {
            observation.setStatus(Observation.ObservationStatus.AMENDED);
            List<Annotation> notes = new ArrayList<>();
            changes(earlier, observation, versionOf(amended))
                    .forEach(line -> notes.add(new Annotation().setText(line)));
            notes.addAll(observation.getNote());
            observation.setNote(notes);
        }
        revision.write(observation, earlier);

        Set<String> indicated = new LinkedHashSet<>();
        for (ServiceRequest order : fresh.serviceRequests()) {
            String reference = FhirIds.reference(order);
            indicated.add(reference);
            ServiceRequest old = (ServiceRequest) before.get(reference);
            if (old == null
                    || old.getStatus() != ServiceRequestStatus.ACTIVE
                    || old.getPriority() != order.getPriority()) {
                revision.write(order.copy(), old);
            }
        }
        Set<String> withdrawn = new LinkedHashSet<>();
        for (Resource resource : previous) {
            if (resource instanceof ServiceRequest order
                    && order.getStatus() == ServiceRequestStatus.ACTIVE
                    && hasIdentifier(order, ORDER_IDENTIFIER)
                    && !indicated.contains(FhirIds.reference(order))) {
                withdrawn.add(FhirIds.reference(order));
                revision.write(withStatus(order, ServiceRequestStatus.REVOKED), order);
            }
        }
        // An order a clinician approved from a proposal goes with its proposal when that is withdrawn.
        for (Resource resource : previous) {
            if (resource instanceof ServiceRequest order
                    && order.getStatus() == ServiceRequestStatus.ACTIVE
                    && hasIdentifier(order, APPROVED_IDENTIFIER)
                    && order.getBasedOn().stream().map(Reference::getReference).anyMatch(withdrawn::contains)) {
                revision.write(withStatus(order, ServiceRequestStatus.REVOKED), order);
            }
        }

        Communication guidance = fresh.communication();
        Communication told = (Communication) before.get(FhirIds.reference(guidance));
        if (told == null
                || told.getStatus() != guidance.getStatus()
                || !Base.compareDeep(told.getPayload(), guidance.getPayload(), false)
                || !sameReferences(told.getBasedOn(), guidance.getBasedOn())) {
            revision.write(guidance.copy(), told);
        }
        return revision.finish(fresh.provenance(), Activity.UPDATE);
    }

    /**
     * What a retraction writes: the Observation, the orders (active, or revoked by an earlier correction) and the
     * guidance marked {@code entered-in-error}, and a Provenance naming the versions replaced. A revoked order is
     * marked too: it came from answers that should never have been recorded, and the EHR should show it so.
     *
     * @param retracted the response as stored with status entered-in-error, at the revision's version
     * @param previous the current versions of everything written for the submission so far
     */
    public List<Resource> retract(QuestionnaireResponse retracted, List<Resource> previous, Instant now) {
        Revision revision = new Revision(retracted, now);
        Provenance template = null;
        for (Resource resource : previous) {
            if (resource instanceof Observation observation
                    && observation.getStatus() != Observation.ObservationStatus.ENTEREDINERROR) {
                Observation marked = observation.copy();
                marked.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
                List<Annotation> notes = new ArrayList<>();
                notes.add(new Annotation()
                        .setText("Entered in error: the answers this result was worked out from were retracted"
                                + " (version " + versionOf(retracted) + " of the response). Do not act on it."));
                notes.addAll(marked.getNote());
                marked.setNote(notes);
                revision.write(marked, observation);
            } else if (resource instanceof ServiceRequest order
                    && (order.getStatus() == ServiceRequestStatus.ACTIVE
                            || order.getStatus() == ServiceRequestStatus.REVOKED)) {
                revision.write(withStatus(order, ServiceRequestStatus.ENTEREDINERROR), order);
            } else if (resource instanceof Communication guidance
                    && guidance.getStatus() != Communication.CommunicationStatus.ENTEREDINERROR) {
                Communication marked = guidance.copy();
                marked.setStatus(Communication.CommunicationStatus.ENTEREDINERROR);
                revision.write(marked, guidance);
            } else if (resource instanceof Provenance provenance && template == null) {
                template = provenance;
            }
        }
        if (template == null) {
            return List.of();
        }
        return revision.finish(template, Activity.NULLIFY);
    }

    /**
     * The lines that open an amended Observation's note: the level before and after and the rules that stopped
     * or started firing, and, apart from that, a change of the rules the result was worked out by.
     */
    static List<String> changes(Observation before, Observation after, int version) {
        List<String> lines = new ArrayList<>();
        String from = level(before);
        String to = level(after);
        StringBuilder line =
                new StringBuilder("Amended by version ").append(version).append(" of the response: ");
        if (Objects.equals(code(before), code(after))) {
            line.append("the level stays ").append(to);
        } else {
            line.append("the level changed from ").append(from).append(" to ").append(to);
        }
        List<String> stopped = new ArrayList<>(fired(before));
        stopped.removeAll(fired(after));
        List<String> started = new ArrayList<>(fired(after));
        started.removeAll(fired(before));
        if (stopped.isEmpty() && started.isEmpty()) {
            line.append("; the same rules fired");
        } else {
            line.append(", because the answers changed");
            if (!stopped.isEmpty()) {
                line.append("; no longer fired: ").append(String.join(", ", stopped));
            }
            if (!started.isEmpty()) {
                line.append("; newly fired: ").append(String.join(", ", started));
            }
        }
        lines.add(line.append('.').toString());
        String rulesBefore = before.getMethod().getText();
        String rulesAfter = after.getMethod().getText();
        if (!Objects.equals(rulesBefore, rulesAfter)) {
            lines.add("The rules changed since the previous result: it was worked out by " + rulesBefore
                    + ", this one by " + rulesAfter + ". Part of the difference may come from the rules, not the"
                    + " answers.");
        }
        return lines;
    }

    private static String level(Observation observation) {
        CodeableConcept value = observation.getValueCodeableConcept();
        String code = code(observation);
        return value.hasText() ? value.getText() + " ('" + code + "')" : "'" + code + "'";
    }

    private static String code(Observation observation) {
        return observation.getValueCodeableConcept().getCodingFirstRep().getCode();
    }

    private static List<String> fired(Observation observation) {
        return TriageDocuments.firedRules(observation).stream()
                .map(component -> component.getCode().hasText()
                        ? component.getCode().getText()
                        : component.getCode().getCodingFirstRep().getCode())
                .toList();
    }

    private static ServiceRequest withStatus(ServiceRequest order, ServiceRequestStatus status) {
        ServiceRequest changed = order.copy();
        changed.setStatus(status);
        return changed;
    }

    private static boolean hasIdentifier(ServiceRequest order, String system) {
        return order.getIdentifier().stream().anyMatch(i -> system.equals(i.getSystem()));
    }

    private static boolean sameReferences(List<Reference> a, List<Reference> b) {
        return a.stream()
                .map(Reference::getReference)
                .toList()
                .equals(b.stream().map(Reference::getReference).toList());
    }

    private static Map<String, Resource> byReference(List<Resource> resources) {
        Map<String, Resource> map = new LinkedHashMap<>();
        resources.forEach(r -> map.put(FhirIds.reference(r), r));
        return map;
    }

    private static int versionOf(Resource resource) {
        String version = resource.getMeta().getVersionId();
        return version == null ? 1 : Integer.parseInt(version);
    }

    private static String versioned(Resource resource) {
        return FhirIds.reference(resource) + "/_history/" + versionOf(resource);
    }

    private enum Activity {
        UPDATE("UPDATE", "revise"),
        NULLIFY("NULLIFY", "nullify");

        private final String code;
        private final String display;

        Activity(String code, String display) {
            this.code = code;
            this.display = display;
        }
    }

    /** The versions one revision writes, and what they replace. */
    private final class Revision {

        private final QuestionnaireResponse response;
        private final Date recorded;
        private final List<Resource> written = new ArrayList<>();
        private final List<Resource> replaced = new ArrayList<>();

        Revision(QuestionnaireResponse response, Instant now) {
            this.response = response;
            this.recorded = Date.from(now.truncatedTo(ChronoUnit.MILLIS));
        }

        /** @param replacing the version this one follows; null for a resource written for the first time */
        void write(Resource resource, Resource replacing) {
            int version = replacing == null ? 1 : versionOf(replacing) + 1;
            resource.setId(resource.getIdElement().toUnqualifiedVersionless());
            resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(recorded);
            if (resource instanceof ServiceRequest order && replacing == null) {
                order.setAuthoredOn(recorded);
            }
            Narratives.narrate(resource);
            written.add(resource);
            if (replacing != null) {
                replaced.add(replacing);
            }
        }

        /** What was written, then the Provenance of the revision; nothing when nothing changed. */
        List<Resource> finish(Provenance template, Activity activity) {
            if (written.isEmpty()) {
                return List.of();
            }
            int version = versionOf(response);
            Provenance provenance = template.copy();
            provenance.setId(response.getIdElement().getIdPart() + "-" + version);
            provenance.getMeta().setVersionId("1").setLastUpdated(recorded);
            provenance.setTarget(new ArrayList<>());
            written.forEach(resource -> provenance.addTarget(new Reference(versioned(resource))));
            provenance.setRecorded(recorded);
            provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, activity.code, activity.display)));
            provenance.getAgentFirstRep().setOnBehalfOf(new Reference(properties.requesterOrganization()));
            provenance.setEntity(new ArrayList<>());
            provenance
                    .addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference(versioned(response)));
            replaced.forEach(old -> provenance
                    .addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.REVISION)
                    .setWhat(new Reference(versioned(old))));
            provenance.setText(null);
            Narratives.narrate(provenance);
            List<Resource> all = new ArrayList<>(written);
            all.add(provenance);
            return all;
        }
    }
}
