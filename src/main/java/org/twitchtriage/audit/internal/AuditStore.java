package org.twitchtriage.audit.internal;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code audit_event} table and its agent and entity rows. Each event is written in a transaction of its
 * own (never the one of the interaction it describes, which has committed or rolled back by then), with one
 * statement per table.
 */
public class AuditStore {

    private final JdbcTemplate jdbc;
    private final FhirContext fhirContext;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate readOnly;

    public AuditStore(JdbcTemplate jdbc, FhirContext fhirContext, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.fhirContext = fhirContext;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public void insert(AuditEvent event, AuditRecord record, Instant recorded) {
        String id = event.getIdElement().getIdPart();
        String json = fhirContext.newJsonParser().encodeResourceToString(event);
        List<Object[]> agents = agentRows(id, event);
        List<Object[]> entities = new ArrayList<>();
        record.patients().forEach(patient -> entities.add(new Object[] {id, "Patient", patient}));
        record.entities().forEach(reference -> {
            String[] parts = reference.split("/", 2);
            entities.add(new Object[] {id, parts[0], parts[1]});
        });
        String patient = record.patients().size() == 1 ? record.patients().get(0) : null;
        ownTransaction.executeWithoutResult(status -> {
            jdbc.update(
                    "insert into audit_event (id, recorded, patient_id, action, outcome, subtype, resource_json)"
                            + " values (?, ?, ?, ?, ?, ?, ?)",
                    id,
                    OffsetDateTime.ofInstant(recorded, ZoneOffset.UTC),
                    patient,
                    event.getAction().toCode(),
                    event.getOutcome().toCode(),
                    subtype(record),
                    json);
            if (!agents.isEmpty()) {
                jdbc.batchUpdate(
                        "insert into audit_event_agent (audit_id, who_reference, identifier_system,"
                                + " identifier_value) values (?, ?, ?, ?)",
                        agents);
            }
            if (!entities.isEmpty()) {
                jdbc.batchUpdate(
                        "insert into audit_event_entity (audit_id, entity_type, entity_id) values (?, ?, ?)", entities);
            }
        });
    }

    private static String subtype(AuditRecord record) {
        String operation = record.activity().operation();
        return operation != null && operation.length() <= 64
                ? operation
                : record.activity().interaction();
    }

    /** One row per agent that has a reference or an identifier short enough to index. */
    private static List<Object[]> agentRows(String id, AuditEvent event) {
        List<Object[]> rows = new ArrayList<>();
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
                rows.add(new Object[] {id, reference, system, value});
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
                || !AuditRecord.isId(parsed.getIdPart())
                || parsed.getResourceType().length() > 64) {
            return null;
        }
        return parsed.getResourceType() + "/" + parsed.getIdPart();
    }

    Optional<AuditEvent> read(String id) {
        List<String> json = readOnly.execute(
                status -> jdbc.queryForList("select resource_json from audit_event where id = ?", String.class, id));
        return json.stream().findFirst().map(this::parse);
    }

    List<AuditEvent> find(AuditCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        Where where = where(criteria);
        where.arguments.add(limit);
        where.arguments.add(offset);
        List<String> json = readOnly.execute(status -> jdbc.queryForList(
                "select e.resource_json from audit_event e" + where.sql
                        + " order by e.recorded desc, e.id desc limit ? offset ?",
                String.class,
                where.arguments.toArray()));
        return json.stream().map(this::parse).toList();
    }

    int count(AuditCriteria criteria) {
        if (criteria.matchesNothing()) {
            return 0;
        }
        Where where = where(criteria);
        Integer count = readOnly.execute(status -> jdbc.queryForObject(
                "select count(*) from audit_event e" + where.sql, Integer.class, where.arguments.toArray()));
        return count == null ? 0 : count;
    }

    private static Where where(AuditCriteria c) {
        Where where = new Where();
        if (c.patientId() != null) {
            where.and(
                    "exists (select 1 from audit_event_entity p where p.audit_id = e.id"
                            + " and p.entity_type = 'Patient' and p.entity_id = ?)",
                    c.patientId());
        }
        if (c.from() != null) {
            where.and("e.recorded >= ?", OffsetDateTime.ofInstant(c.from(), ZoneOffset.UTC));
        }
        if (c.to() != null) {
            where.and("e.recorded <= ?", OffsetDateTime.ofInstant(c.to(), ZoneOffset.UTC));
        }
        if (c.agentReference() != null) {
            where.and(
                    "exists (select 1 from audit_event_agent a where a.audit_id = e.id and a.who_reference = ?)",
                    c.agentReference());
        }
        if (c.agentValue() != null) {
            if (c.agentSystem() == null) {
                where.and(
                        "exists (select 1 from audit_event_agent a where a.audit_id = e.id"
                                + " and a.identifier_value = ?)",
                        c.agentValue());
            } else {
                where.and(
                        "exists (select 1 from audit_event_agent a where a.audit_id = e.id"
                                + " and a.identifier_value = ? and a.identifier_system = ?)",
                        c.agentValue(),
                        c.agentSystem());
            }
        }
        if (c.entityId() != null) {
            if (c.entityType() == null) {
                where.and(
                        "exists (select 1 from audit_event_entity n where n.audit_id = e.id and n.entity_id = ?)",
                        c.entityId());
            } else {
                where.and(
                        "exists (select 1 from audit_event_entity n where n.audit_id = e.id"
                                + " and n.entity_type = ? and n.entity_id = ?)",
                        c.entityType(),
                        c.entityId());
            }
        }
        return where;
    }

    private AuditEvent parse(String json) {
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, json);
        event.setId(event.getIdElement().withResourceType("AuditEvent").withVersion("1"));
        return event;
    }

    private static final class Where {

        private final StringBuilder sql = new StringBuilder();
        private final List<Object> arguments = new ArrayList<>();

        void and(String condition, Object... values) {
            sql.append(sql.length() == 0 ? " where " : " and ").append(condition);
            arguments.addAll(List.of(values));
        }
    }
}
