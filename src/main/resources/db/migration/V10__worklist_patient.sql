-- The worklist filtered to one patient (the clinician launch from an EHR opens the patient's results): the patient
-- of each result, as its id without 'Patient/', kept from the results module's events like the other columns.
alter table worklist_entry add column patient_id varchar(64);

create index ix_worklist_entry_patient on worklist_entry (patient_id, authored);

-- The results already stored: the patient of the response they were triaged from.
update worklist_entry set patient_id =
    (select q.subject_id from questionnaire_response q where q.id = worklist_entry.submission_id);
