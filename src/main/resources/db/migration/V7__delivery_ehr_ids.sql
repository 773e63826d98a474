-- What the EHR made of each resource of a delivery, one row per resource, instead of the newline-joined
-- 'local=ehr' lines of delivery.ehr_ids. entry_index keeps the order the EHR answered in.
create table delivery_ehr_id (
    delivery_key    varchar(140) not null,
    entry_index     integer      not null,
    local_reference varchar(140) not null,
    ehr_reference   varchar      not null,
    constraint pk_delivery_ehr_id primary key (delivery_key, entry_index),
    constraint fk_delivery_ehr_id_delivery foreign key (delivery_key) references delivery (delivery_key)
);

-- The stored lines, split one at a time: each step takes the text before the first line break and keeps the
-- rest for the next. A line without '=' was never written and is skipped, as it was when read.
insert into delivery_ehr_id (delivery_key, entry_index, local_reference, ehr_reference)
with recursive ehr_line (delivery_key, line_index, line, rest) as (
    select delivery_key,
           0,
           cast(substring(ehr_ids from 1 for position(chr(10) in ehr_ids || chr(10)) - 1) as varchar(100000)),
           cast(substring(ehr_ids || chr(10) from position(chr(10) in ehr_ids || chr(10)) + 1) as varchar(100000))
    from delivery
    where ehr_ids is not null and ehr_ids <> ''
    union all
    select delivery_key,
           line_index + 1,
           cast(substring(rest from 1 for position(chr(10) in rest) - 1) as varchar(100000)),
           cast(substring(rest from position(chr(10) in rest) + 1) as varchar(100000))
    from ehr_line
    where rest <> ''
)
select delivery_key,
       row_number() over (partition by delivery_key order by line_index) - 1,
       substring(line from 1 for position('=' in line) - 1),
       substring(line from position('=' in line) + 1)
from ehr_line
where position('=' in line) > 0;

alter table delivery drop column ehr_ids;
