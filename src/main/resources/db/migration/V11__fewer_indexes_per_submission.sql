-- Indexes a submission writes that no query needs: every index is one more B-tree each new row goes into.
--
-- ix_triage_resource_submission and ix_delivery_submission are the first column of
-- ix_triage_resource_submission_origin and uq_delivery_submission_sequence, which serve every lookup by
-- submission. H2 needs an index of exactly a foreign key's columns and uses the one it finds: each foreign key
-- is dropped first and added again after the index is gone (on H2 it then makes one of its own; on PostgreSQL
-- a foreign key needs none).
alter table triage_resource drop constraint fk_triage_resource_submission;
drop index ix_triage_resource_submission;
alter table triage_resource add constraint fk_triage_resource_submission foreign key (submission_id)
    references questionnaire_response (id);

alter table delivery drop constraint fk_delivery_submission;
drop index ix_delivery_submission;
alter table delivery add constraint fk_delivery_submission foreign key (submission_id)
    references questionnaire_response (id);

-- On H2 the foreign key of audit_event_agent was made before ix_audit_event_agent_event and has an index of
-- its own on the same column; added again, it uses ix_audit_event_agent_event (PostgreSQL needs that index for
-- the lookups by event).
alter table audit_event_agent drop constraint fk_audit_event_agent_event;
alter table audit_event_agent add constraint fk_audit_event_agent_event foreign key (audit_id)
    references audit_event (id);
