package org.twitchtriage.audit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.fhir.FhirIds;

/**
 * Shapes an {@link AuditRecord} as an R4 AuditEvent after IHE Basic Audit Log Patterns (BALP): type
 * {@code rest}, the FHIR interaction as subtype, the agents of {@link Agents}, this module as the observer, and
 * one entity per patient (Person / Patient), per resource (System Object / Domain Resource) and for the query.
 */
public final class AuditEvents {

    static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";

    private final String deviceId;

    public AuditEvents(String deviceId) {
        this.deviceId = deviceId;
    }

    /** The module itself, as the Device its results name. */
    Reference device() {
        return new Reference(FhirIds.reference("Device", deviceId)).setDisplay("twitch-triage");
    }

    public AuditEvent build(AuditRecord record, String id, Instant recorded) {
        AuditEvent event = new AuditEvent();
        event.setId(id);
        event.getMeta().setVersionId("1").setLastUpdated(Date.from(recorded));
        event.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
        event.addSubtype(new Coding(INTERACTION, record.activity().interaction(), null));
        if (record.activity().operation() != null) {
            // The operation's name, as the server publishes it; the module defines no code system for them.
            event.addSubtype(new Coding().setCode(record.activity().operation()));
        }
        event.setAction(record.activity().action().code);
        event.setRecorded(Date.from(recorded));
        event.setOutcome(record.outcome().code);
        event.setOutcomeDesc(record.outcomeDesc());
        event.getSource().setObserver(device()).addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        boolean authoring = record.activity().action() != AuditTrail.Action.READ
                && record.activity().action() != AuditTrail.Action.EXECUTE;
        if (record.destination() != null) {
            disclosureAgents(event, record.destination());
        } else {
            Agents.of(record.caller(), record.remoteAddress(), authoring).forEach(event::addAgent);
        }
        for (String patient : record.patients()) {
            event.addEntity()
                    .setWhat(new Reference(FhirIds.reference("Patient", patient)))
                    .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        for (String reference : record.entities()) {
            event.addEntity()
                    .setWhat(new Reference(reference))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
        }
        if (record.query() != null) {
            event.addEntity()
                    .setQuery(record.query().getBytes(StandardCharsets.UTF_8))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "24", "Query"));
        }
        if (record.entitiesOmitted() > 0) {
            AuditEventEntityComponent note = event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setDescription("More resources were touched than are listed here");
            note.addDetail().setType("omitted").setValue(new StringType(String.valueOf(record.entitiesOmitted())));
        }
        return event;
    }

    /** The module sent the data (source) to another system (destination), on no one's request but its own. */
    private void disclosureAgents(AuditEvent event, String destination) {
        AuditEventAgentComponent source = event.addAgent().setWho(device()).setRequestor(true);
        source.getType().addCoding(new Coding(DICOM, "110153", "Source Role ID"));
        AuditEventAgentComponent target = event.addAgent().setRequestor(false);
        target.getType().addCoding(new Coding(DICOM, "110152", "Destination Role ID"));
        target.getWho().setDisplay(destination);
        target.getNetwork().setAddress(destination).setType(AuditEventAgentNetworkType._5);
    }
}
