-- Clinician review: a review Task and the orders approved from proposals are stored with the submission's
-- results, told apart by origin; the approved orders travel to the EHR in a delivery of their own.

-- What wrote a resource: 'triage' (the submission's triage, delivered with it), 'review' (a clinician's
-- review Task, kept here) or 'approval' (orders approved from proposals, delivered in the approval batch).
alter table triage_resource add column origin varchar(16) default 'triage' not null;
create index ix_triage_resource_submission_origin on triage_resource (submission_id, origin, resource_type);

-- A delivery per batch of resources: the submission's triage (keyed by the submission id, as before) and,
-- once approved, its orders (keyed '{submission id}/approval').
alter table delivery add column delivery_key varchar(140);
update delivery set delivery_key = submission_id;
alter table delivery alter column delivery_key set not null;
alter table delivery add column batch varchar(16) default 'triage' not null;
-- The foreign key goes and comes back around the primary key change: H2 keeps a primary key that a foreign
-- key's index still uses.
alter table delivery drop constraint fk_delivery_submission;
alter table delivery drop constraint pk_delivery;
alter table delivery add constraint pk_delivery primary key (delivery_key);
alter table delivery add constraint fk_delivery_submission foreign key (submission_id)
    references questionnaire_response (id);
create index ix_delivery_submission on delivery (submission_id);
alter table delivery add constraint uq_delivery_submission_batch unique (submission_id, batch);
