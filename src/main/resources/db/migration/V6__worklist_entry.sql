-- The clinician worklist's own table: one row per triage result with what the worklist filters and orders on.
-- The review module keeps it from the events of the results and delivery modules, in the transaction of each
-- change, so the worklist query reads no other module's tables. Delivery statuses as the API codes them
-- ('pending', 'delivered', 'failed'); null while a batch has no delivery.
create table worklist_entry (
    submission_id     varchar(64)              not null,
    authored          timestamp with time zone,
    level_system      varchar(255),
    level_code        varchar(64),
    reviewed          boolean                  not null,
    triage_delivery   varchar(16),
    approval_delivery varchar(16),
    constraint pk_worklist_entry primary key (submission_id)
);

create index ix_worklist_entry_authored on worklist_entry (authored);

-- The results already stored, as the events would have made them.
insert into worklist_entry
    (submission_id, authored, level_system, level_code, reviewed, triage_delivery, approval_delivery)
select o.submission_id,
       o.recorded,
       o.value_system,
       o.value_code,
       exists (select 1 from triage_resource t
               where t.submission_id = o.submission_id and t.origin = 'review' and t.resource_type = 'Task'),
       lower(d.status),
       lower(a.status)
from triage_resource o
left join delivery d on d.submission_id = o.submission_id and d.batch = 'triage'
left join delivery a on a.submission_id = o.submission_id and a.batch = 'approval'
where o.resource_type = 'Observation' and o.origin = 'triage';
