-- Resources written by triage, stored with the submission in one transaction. Written once, never updated.
create table triage_resource (
    resource_key      varchar(140)             not null,
    resource_type     varchar(32)              not null,
    resource_id       varchar(64)              not null,
    submission_id     varchar(64),
    subject_id        varchar(64),
    code_system       varchar(255),
    code_value        varchar(64),
    value_system      varchar(255),
    value_code        varchar(64),
    priority          varchar(16),
    status            varchar(16),
    requisition       varchar(255),
    recorded          timestamp with time zone,
    last_updated      timestamp with time zone not null,
    resource_json     varchar                  not null,
    constraint pk_triage_resource primary key (resource_key),
    constraint fk_triage_resource_submission foreign key (submission_id) references questionnaire_response (id)
);

create index ix_triage_resource_type_subject on triage_resource (resource_type, subject_id);
create index ix_triage_resource_submission on triage_resource (submission_id);
create index ix_triage_resource_requisition on triage_resource (requisition);
