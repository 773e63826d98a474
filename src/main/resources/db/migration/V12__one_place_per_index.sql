-- Indexes a submission's rows go into in one place each. A B-tree index takes a submission's rows where their
-- keys sort; an index led by a column of a few values (a resource or entity type) takes them in as many places
-- as the submission has types, and every place is a leaf and the pages above it that the database writes again
-- at the commit (H2 copies each such page whole). Led by the patient or the submission instead, the same
-- lookups are served and the rows of one submission sit together.

-- Stored resources of a submission: found by submission (and origin, among a submission's few rows), so an
-- index of the submission alone, which on H2 also serves the foreign key (H2 uses an index of exactly the
-- key's columns, so the key is dropped and added again after the index exists).
alter table triage_resource drop constraint fk_triage_resource_submission;
drop index ix_triage_resource_submission_origin;
create index ix_triage_resource_submission on triage_resource (submission_id);
alter table triage_resource add constraint fk_triage_resource_submission foreign key (submission_id)
    references questionnaire_response (id);

-- Searches by patient, with or without the type.
drop index ix_triage_resource_type_subject;
create index ix_triage_resource_subject_type on triage_resource (subject_id, resource_type);

-- The audit trail is searched by entity id, with or without its type (a patient is an entity of type Patient).
drop index ix_audit_event_entity_what;
drop index ix_audit_event_entity_id;
create index ix_audit_event_entity_id_type on audit_event_entity (entity_id, entity_type);

-- No search reads audit_event.patient_id: the patient search goes through the entity rows.
drop index ix_audit_event_patient;
