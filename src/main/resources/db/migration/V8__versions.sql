-- Corrections: a stored response and the resources triage wrote from it get versions. The main tables keep the
-- current version, which every search reads; the versions it replaced move to a table of their own, so a
-- submission that is never corrected writes nothing more than before.

alter table questionnaire_response add column version_id integer default 1 not null;

create table questionnaire_response_version (
    id            varchar(64)              not null,
    version_id    integer                  not null,
    last_updated  timestamp with time zone not null,
    resource_json varchar                  not null,
    constraint pk_questionnaire_response_version primary key (id, version_id),
    constraint fk_questionnaire_response_version foreign key (id) references questionnaire_response (id)
);

-- revision: the version of the submission's response whose triage (or retraction) wrote this version.
alter table triage_resource add column version_id integer default 1 not null;
alter table triage_resource add column revision integer default 1 not null;

create table triage_resource_version (
    resource_key  varchar(140)             not null,
    version_id    integer                  not null,
    revision      integer                  not null,
    last_updated  timestamp with time zone not null,
    resource_json varchar                  not null,
    constraint pk_triage_resource_version primary key (resource_key, version_id),
    constraint fk_triage_resource_version foreign key (resource_key) references triage_resource (resource_key)
);

-- Deliveries of one submission go out in the order of their sequence: the triage batch of version 1 is 2, the
-- amendment of version n is 2n, orders approved while version n is current 2n + 1. A delivery is due only once
-- every delivery of its submission with a lower sequence has been delivered.
alter table delivery add column sequence_number integer;
update delivery set sequence_number = case batch when 'triage' then 2 else 3 end;
alter table delivery alter column sequence_number set not null;
alter table delivery add column revision integer default 1 not null;
alter table delivery drop constraint uq_delivery_submission_batch;
alter table delivery add constraint uq_delivery_submission_sequence unique (submission_id, sequence_number);

-- The version the EHR gave each resource written there, when it said: later updates send If-Match on it.
alter table delivery_ehr_id add column ehr_version varchar(64);

-- The worklist shows a corrected result as changed from its earlier level, and a retracted one as such.
alter table worklist_entry add column revision integer default 1 not null;
alter table worklist_entry add column previous_level_system varchar(255);
alter table worklist_entry add column previous_level_code varchar(64);
alter table worklist_entry add column retracted boolean default false not null;
-- Why a clinician must look again although nothing was reviewed wrong: what the EHR had changed and kept.
alter table worklist_entry add column attention varchar(1000);

-- Delivery
-- The version of the module's resource each EHR id was written from; null where a conditional create found the
-- resource already in the EHR, so the module did not write that version there.
alter table delivery_ehr_id add column local_version integer;

-- The delivery's ledger beyond what it wrote (delivery_ehr_id), each with why: left as the EHR has it (an order the
-- EHR completed, a resource changed there since the module wrote it), skipped (a type the EHR cannot take), failed
-- (what the EHR refused or did not answer). entry_index keeps the order the resources were looked at in.
create table delivery_left (
    delivery_key    varchar(140)  not null,
    entry_index     integer       not null,
    local_reference varchar(140)  not null,
    ehr_reference   varchar(255),
    reason          varchar(1000) not null,
    outcome         varchar(16)   default 'left' not null,
    constraint pk_delivery_left primary key (delivery_key, entry_index),
    constraint fk_delivery_left_delivery foreign key (delivery_key) references delivery (delivery_key)
);
