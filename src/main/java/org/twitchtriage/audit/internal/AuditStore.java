package org.twitchtriage.audit.internal;

import ca.uhn.fhir.context.FhirContext;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.audit.internal.StoredAuditEvent.Agent;
import org.twitchtriage.audit.internal.StoredAuditEvent.Touched;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.fhir.ResourceJson;
import org.twitchtriage.storage.SearchSql;
import org.twitchtriage.storage.SqlTimestamps;
import org.twitchtriage.storage.StoredJson;

/**
 * The {@code audit_event} table and its agent and entity rows. An event is written in a transaction of its own
 * after the interaction it describes ({@link #insert}), or, for a submission, inside the submission's own
 * transaction behind a savepoint ({@link #insertJoined}), so that one commit makes both durable.
 */
public class AuditStore {

    /** An event lists up to a hundred entities and patients each; their rows go in batches, not one by one. */
    private static final int ROWS_PER_STATEMENT = 2 * AuditRecord.MAX_ENTITIES;

    private final AuditEventRepository repository;
    private final EntityManager entityManager;
    private final NamedParameterJdbcTemplate jdbc;
    private final FhirContext fhirContext;
    private final ResourceJson json;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate readOnly;
    private final DataSource dataSource;

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
        this.json = new ResourceJson(fhirContext);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.dataSource = jdbc == null ? null : jdbc.getJdbcTemplate().getDataSource();
    }

    public void insert(AuditEvent event, AuditRecord record, Instant recorded) {
        StoredAuditEvent row = row(event, record, recorded);
        ownTransaction.executeWithoutResult(status -> {
            entityManager.unwrap(Session.class).setJdbcBatchSize(ROWS_PER_STATEMENT);
            repository.save(row);
        });
    }

    /**
     * Writes the event in the transaction open on this thread (a submission's), with plain JDBC behind a
     * savepoint: when the write fails, the savepoint is rolled back and the exception thrown, and the
     * transaction carries on as if nothing had been tried (on PostgreSQL a failed statement would otherwise
     * doom it).
     *
     * @throws IllegalStateException when no transaction is open
     */
    public void insertJoined(AuditEvent event, AuditRecord record, Instant recorded) {
        // Without the transaction's own connection bound, JDBC would write on another one, outside it.
        if (dataSource == null
                || !TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("no transaction with a JDBC connection to join");
        }
        StoredAuditEvent row = row(event, record, recorded);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Savepoint savepoint;
            try {
                savepoint = connection.setSavepoint();
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("no savepoint", e);
            }
            try {
                writeRows(row);
            } catch (RuntimeException e) {
                try {
                    connection.rollback(savepoint);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            try {
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                // Some drivers release savepoints only at commit; the rows are written either way.
            }
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** The event's rows, with plain JDBC, on the connection of the open transaction. */
    public void writeRows(StoredAuditEvent row) {
        jdbc.getJdbcTemplate()
                .update(
                        "insert into audit_event (id, recorded, patient_id, action, outcome, subtype, resource_json)"
                                + " values (?, ?, ?, ?, ?, ?, ?)",
                        row.getId(),
                        SqlTimestamps.utc(row.recorded()),
                        row.patientId(),
                        row.action(),
                        row.outcome(),
                        row.subtype(),
                        StoredJson.bytes(row.resourceJson()));
        List<Object[]> agents = row.agents().stream()
                .map(a -> new Object[] {row.getId(), a.reference(), a.system(), a.value()})
                .toList();
        if (!agents.isEmpty()) {
            jdbc.getJdbcTemplate()
                    .batchUpdate(
                            "insert into audit_event_agent (audit_id, who_reference, identifier_system,"
                                    + " identifier_value) values (?, ?, ?, ?)",
                            agents);
        }
        List<Object[]> entities = row.entities().stream()
                .map(t -> new Object[] {row.getId(), t.type(), t.id()})
                .toList();
        if (!entities.isEmpty()) {
            jdbc.getJdbcTemplate()
                    .batchUpdate(
                            "insert into audit_event_entity (audit_id, entity_type, entity_id) values (?, ?, ?)",
                            entities);
        }
    }

    private StoredAuditEvent row(AuditEvent event, AuditRecord record, Instant recorded) {
        List<Touched> entities = new ArrayList<>();
        record.patients().forEach(patient -> entities.add(new Touched("Patient", patient)));
        record.entities().forEach(reference -> {
            String[] parts = reference.split("/", 2);
            entities.add(new Touched(parts[0], parts[1]));
        });
        return new StoredAuditEvent(
                event.getIdElement().getIdPart(),
                recorded,
                record.patients().size() == 1 ? record.patients().get(0) : null,
                event.getAction().toCode(),
                event.getOutcome().toCode(),
                subtype(record),
                json.encode(event),
                agents(event),
                entities);
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
        List<String> json = readOnly.execute(status ->
                search(criteria).jsonPage(jdbc, "e.resource_json", "e.recorded desc, e.id desc", offset, limit));
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
