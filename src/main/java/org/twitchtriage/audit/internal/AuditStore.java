package org.twitchtriage.audit.internal;

import ca.uhn.fhir.context.FhirContext;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.audit.internal.StoredAuditEvent.Agent;
import org.twitchtriage.audit.internal.StoredAuditEvent.Touched;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.storage.SearchSql;

/**
 * The {@code audit_event} table and its agent and entity rows. Each event is written in a transaction of its
 * own (never the one of the interaction it describes, which has committed or rolled back by then).
 */
public class AuditStore {

    /** An event lists up to a hundred entities and patients each; their rows go in batches, not one by one. */
    private static final int ROWS_PER_STATEMENT = 2 * AuditRecord.MAX_ENTITIES;

    private final AuditEventRepository repository;
    private final EntityManager entityManager;
    private final NamedParameterJdbcTemplate jdbc;
    private final FhirContext fhirContext;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate readOnly;

    public AuditStore(
            AuditEventRepository repository,
            EntityManager entityManager,
            NamedParameterJdbcTemplate jdbc,
            FhirContext fhirContext,
            PlatformTransactionManager transactions) {
        this.repository = repository;
        this.entityManager = entityManager;
        this.jdbc = jdbc;
        this.fhirContext = fhirContext;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public void insert(AuditEvent event, AuditRecord record, Instant recorded) {
        List<Touched> entities = new ArrayList<>();
        record.patients().forEach(patient -> entities.add(new Touched("Patient", patient)));
        record.entities().forEach(reference -> {
            String[] parts = reference.split("/", 2);
            entities.add(new Touched(parts[0], parts[1]));
        });
        StoredAuditEvent row = new StoredAuditEvent(
                event.getIdElement().getIdPart(),
                recorded,
                record.patients().size() == 1 ? record.patients().get(0) : null,
                event.getAction().toCode(),
                event.getOutcome().toCode(),
                subtype(record),
                fhirContext.newJsonParser().encodeResourceToString(event),
                agents(event),
                entities);
        ownTransaction.executeWithoutResult(status -> {
            entityManager.unwrap(Session.class).setJdbcBatchSize(ROWS_PER_STATEMENT);
            repository.save(row);
        });
    }

    private static String subtype(AuditRecord record) {
        String operation = record.activity().operation();
        return operation != null && operation.length() <= 64
                ? operation
                : record.activity().interaction();
    }

    /** One row per agent that has a reference or an identifier short enough to index. */
    private static List<Agent> agents(AuditEvent event) {
        List<Agent> rows = new ArrayList<>();
        for (AuditEventAgentComponent agent : event.getAgent()) {
            Reference who = agent.getWho();
            String reference = relative(who.getReference());
            String system = who.getIdentifier().getSystem();
            String value = who.getIdentifier().getValue();
            if (system != null && system.length() > 512 || value != null && value.length() > 255) {
                system = null;
                value = null;
            }
            if (reference != null || value != null) {
                rows.add(new Agent(reference, system, value));
            }
        }
        return rows;
    }

    /** {@code Practitioner/12} for a relative or absolute reference to it; {@code null} for anything else. */
    static String relative(String reference) {
        if (reference == null) {
            return null;
        }
        IdType parsed = new IdType(reference);
        if (!parsed.hasResourceType()
                || !FhirIds.isId(parsed.getIdPart())
                || parsed.getResourceType().length() > 64) {
            return null;
        }
        return FhirIds.reference(parsed);
    }

    Optional<AuditEvent> read(String id) {
        return readOnly.execute(status -> repository.findById(id).map(StoredAuditEvent::resourceJson))
                .map(this::parse);
    }

    List<AuditEvent> find(AuditCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        List<String> json = readOnly.execute(status -> search(criteria)
                .page(jdbc, "e.resource_json", String.class, "e.recorded desc, e.id desc", offset, limit));
        return json.stream().map(this::parse).toList();
    }

    int count(AuditCriteria criteria) {
        if (criteria.matchesNothing()) {
            return 0;
        }
        Integer count = readOnly.execute(status -> search(criteria).count(jdbc));
        return count == null ? 0 : count;
    }

    private static SearchSql search(AuditCriteria c) {
        SearchSql search = SearchSql.from("audit_event e");
        if (c.patientId() != null) {
            search.where(
                    "exists (select 1 from audit_event_entity p where p.audit_id = e.id"
                            + " and p.entity_type = 'Patient' and p.entity_id = :patient)",
                    Map.of("patient", c.patientId()));
        }
        search.atLeast("e.recorded", c.from()).atMost("e.recorded", c.to());
        if (c.agentReference() != null) {
            search.where(
                    "exists (select 1 from audit_event_agent a where a.audit_id = e.id and a.who_reference = :who)",
                    Map.of("who", c.agentReference()));
        }
        if (c.agentValue() != null) {
            if (c.agentSystem() == null) {
                search.where(
                        "exists (select 1 from audit_event_agent a where a.audit_id = e.id"
                                + " and a.identifier_value = :value)",
                        Map.of("value", c.agentValue()));
            } else {
                search.where(
                        "exists (select 1 from audit_event_agent a where a.audit_id = e.id"
                                + " and a.identifier_value = :value and a.identifier_system = :system)",
                        Map.of("value", c.agentValue(), "system", c.agentSystem()));
            }
        }
        if (c.entityId() != null) {
            if (c.entityType() == null) {
                search.where(
                        "exists (select 1 from audit_event_entity n where n.audit_id = e.id and n.entity_id = :id)",
                        Map.of("id", c.entityId()));
            } else {
                search.where(
                        "exists (select 1 from audit_event_entity n where n.audit_id = e.id"
                                + " and n.entity_type = :type and n.entity_id = :id)",
                        Map.of("type", c.entityType(), "id", c.entityId()));
            }
        }
        return search;
    }

    private AuditEvent parse(String json) {
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, json);
        event.setId(event.getIdElement().withResourceType("AuditEvent").withVersion("1"));
        return event;
    }
}
