package org.twitchtriage.audit.internal;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.storage.StoredRow;

/**
 * One recorded AuditEvent: the resource as served, the columns searches use, and the agents and entities
 * searches look for. Written once and never updated.
 */
@Entity
@Table(name = "audit_event")
public class StoredAuditEvent extends StoredRow {

    @Id
    @Column(name = "id", length = 64)
    private String id;

    @Column(name = "recorded", nullable = false)
    private Instant recorded;

    /** The patient the event concerns, when it concerns exactly one. */
    @Column(name = "patient_id", length = 64)
    private String patientId;

    @Column(name = "action", length = 1, nullable = false)
    private String action;

    @Column(name = "outcome", length = 2, nullable = false)
    private String outcome;

    @Column(name = "subtype", length = 64, nullable = false)
    private String subtype;

    @Convert(converter = StoredJson.Converter.class)
    @Column(name = "resource_json", nullable = false)
    private String resourceJson;

    @ElementCollection
    @CollectionTable(name = "audit_event_agent", joinColumns = @JoinColumn(name = "audit_id"))
    private List<Agent> agents;

    @ElementCollection
    @CollectionTable(name = "audit_event_entity", joinColumns = @JoinColumn(name = "audit_id"))
    private List<Touched> entities;

    protected StoredAuditEvent() {}

    StoredAuditEvent(
            String id,
            Instant recorded,
            String patientId,
            String action,
            String outcome,
            String subtype,
            String resourceJson,
            List<Agent> agents,
            List<Touched> entities) {
        this.id = id;
        this.recorded = recorded;
        this.patientId = patientId;
        this.action = action;
        this.outcome = outcome;
        this.subtype = subtype;
        this.resourceJson = resourceJson;
        this.agents = new ArrayList<>(agents);
        this.entities = new ArrayList<>(entities);
    }

    @Override
    public String getId() {
        return id;
    }

    String resourceJson() {
        return resourceJson;
    }

    Instant recorded() {
        return recorded;
    }

    String patientId() {
        return patientId;
    }

    String action() {
        return action;
    }

    String outcome() {
        return outcome;
    }

    String subtype() {
        return subtype;
    }

    List<Agent> agents() {
        return agents;
    }

    List<Touched> entities() {
        return entities;
    }

    /** A participant, by reference ({@code Practitioner/2}) or by identifier (token issuer and subject). */
    @Embeddable
    record Agent(
            @Column(name = "who_reference", length = 140) String reference,

            @Column(name = "identifier_system", length = 512)
            String system,

            @Column(name = "identifier_value", length = 255) String value) {}

    /** A patient or a resource the event touched. */
    @Embeddable
    record Touched(
            @Column(name = "entity_type", length = 64, nullable = false)
            String type,

            @Column(name = "entity_id", length = 64, nullable = false)
            String id) {}
}
