-- Accepted QuestionnaireResponses. Written once, never updated; resource_json is the resource as stored.
create table questionnaire_response (
    id                    varchar(64)              not null,
    identifier_system     varchar(512),
    identifier_value      varchar(255),
    questionnaire_url     varchar(512)             not null,
    questionnaire_version varchar(64)              not null,
    subject_id            varchar(64)              not null,
    status                varchar(16)              not null,
    authored_low          timestamp with time zone not null,
    authored_high         timestamp with time zone not null,
    last_updated          timestamp with time zone not null,
    resource_json         varchar                  not null,
    constraint pk_questionnaire_response primary key (id),
    -- Idempotency: one accepted response per identifier (system|value).
    constraint uq_questionnaire_response_identifier unique (identifier_system, identifier_value)
);

create index ix_questionnaire_response_subject on questionnaire_response (subject_id, authored_low);
create index ix_questionnaire_response_authored on questionnaire_response (authored_low);
