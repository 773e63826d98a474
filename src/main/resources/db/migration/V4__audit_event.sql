-- The audit trail: one row per recorded AuditEvent, written once and never updated. resource_json is the
-- AuditEvent as served; the other columns and the two child tables are what searches use.
create table audit_event (
    id            varchar(64)              not null,
    recorded      timestamp with time zone not null,
    -- The patient the event concerns, when it concerns exactly one (every patient is also an entity row).
    patient_id    varchar(64),
    action        varchar(1)               not null,
    outcome       varchar(2)               not null,
    subtype       varchar(64)              not null,
    resource_json varchar                  not null,
    constraint pk_audit_event primary key (id)
);

create index ix_audit_event_recorded on audit_event (recorded);
create index ix_audit_event_patient on audit_event (patient_id, recorded);

-- Who took part: a reference (Patient/1, Practitioner/2) or an identifier (token issuer | client id or subject).
create table audit_event_agent (
    audit_id          varchar(64)  not null,
    who_reference     varchar(140),
    identifier_system varchar(512),
    identifier_value  varchar(255),
    constraint fk_audit_event_agent_event foreign key (audit_id) references audit_event (id)
);

create index ix_audit_event_agent_event on audit_event_agent (audit_id);
create index ix_audit_event_agent_reference on audit_event_agent (who_reference);
create index ix_audit_event_agent_identifier on audit_event_agent (identifier_value, identifier_system);

-- What was touched: the patients and the resources, as type and id.
create table audit_event_entity (
    audit_id    varchar(64) not null,
    entity_type varchar(64) not null,
    entity_id   varchar(64) not null,
    constraint pk_audit_event_entity primary key (audit_id, entity_type, entity_id),
    constraint fk_audit_event_entity_event foreign key (audit_id) references audit_event (id)
);

create index ix_audit_event_entity_what on audit_event_entity (entity_type, entity_id);
create index ix_audit_event_entity_id on audit_event_entity (entity_id);
