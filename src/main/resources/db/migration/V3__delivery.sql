-- The outbox: one row per accepted submission, written in the same transaction as the submission.
-- A dispatcher claims due rows with a lease (compare-and-set on lease_until), so several instances
-- sharing the database deliver each submission once.
create table delivery (
    submission_id    varchar(64)              not null,
    status           varchar(16)              not null,
    attempts         integer                  not null,
    next_attempt_at  timestamp with time zone not null,
    lease_owner      varchar(64),
    lease_until      timestamp with time zone,
    last_error       varchar(2000),
    last_http_status integer,
    ehr_outcome      varchar,
    ehr_ids          varchar,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    delivered_at     timestamp with time zone,
    constraint pk_delivery primary key (submission_id),
    constraint fk_delivery_submission foreign key (submission_id) references questionnaire_response (id)
);

create index ix_delivery_due on delivery (status, next_attempt_at);
