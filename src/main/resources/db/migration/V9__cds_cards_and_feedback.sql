-- CDS Hooks: every card the patient-view service issued, so that feedback on a card finds the result it was built
-- from. The uuid is derived from the triage Observation and its version, so the same result gives the same card.
create table cds_card (
    card_uuid          varchar(36)              not null,
    submission_id      varchar(64)              not null,
    observation_id     varchar(64)              not null,
    observation_version integer                 not null,
    issued_at          timestamp with time zone not null,
    constraint pk_cds_card primary key (card_uuid)
);

create index ix_cds_card_submission on cds_card (submission_id);

-- Clinicians' verdicts on triage results, from a CDS card's feedback or from the result page: accepted, or
-- overridden with a reason (a code of the triage-feedback-reason CodeSystem) and a comment. The level and the rules
-- that fired are those of the Observation version judged, copied here so the governance figures need no other
-- module's tables. channel: 'cds-card' or 'result-page'; card_uuid only for the former.
create table result_feedback (
    feedback_id         varchar(36)              not null,
    submission_id       varchar(64)              not null,
    observation_version integer                  not null,
    rules_version       varchar(255),
    level_system        varchar(255),
    level_code          varchar(64),
    outcome             varchar(16)              not null,
    reason_system       varchar(255),
    reason_code         varchar(64),
    reason_display      varchar(255),
    user_comment        varchar(1000),
    channel             varchar(16)              not null,
    card_uuid           varchar(36),
    given_by            varchar(255),
    outcome_at          timestamp with time zone not null,
    recorded_at         timestamp with time zone not null,
    constraint pk_result_feedback primary key (feedback_id)
);

create index ix_result_feedback_submission on result_feedback (submission_id);

-- The rules that fired for the result judged: an override counts against each of them.
create table result_feedback_rule (
    feedback_id varchar(36)  not null,
    rule_system varchar(255) not null,
    rule_code   varchar(64)  not null,
    rule_title  varchar(255),
    constraint pk_result_feedback_rule primary key (feedback_id, rule_system, rule_code),
    constraint fk_result_feedback_rule foreign key (feedback_id) references result_feedback (feedback_id)
);
