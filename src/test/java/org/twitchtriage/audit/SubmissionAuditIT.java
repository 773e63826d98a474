package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.twitchtriage.audit.internal.AuditRecord;
import org.twitchtriage.audit.internal.AuditStore;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * A new submission's AuditEvent is written in the submission's own transaction (one commit for both). When that
 * write fails, the submission still gets its 201 and the event is recorded after it, as any other; when that
 * fails too, the loss is counted.
 */
class SubmissionAuditIT extends IntegrationTest {

    @MockitoSpyBean
    private AuditStore store;

    @Autowired
    private MeterRegistry registry;

    private static String newPatient() {
        return "submission-audit-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> create(String patient) {
        return post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()));
    }

    private int eventsOf(String patient) {
        return jdbc.queryForObject("select count(*) from audit_event where patient_id = ?", Integer.class, patient);
    }

    private int storedFor(String patient) {
        return jdbc.queryForObject(
                "select count(*) from questionnaire_response where subject_id = ?", Integer.class, patient);
    }

    private double failures() {
        return registry.counter("twitchtriage.audit.failures").count();
    }

    private static AuditRecord concerning(String patient) {
        return argThat(record -> record != null && record.patients().contains(patient));
    }

    @Test
    void aSubmissionsEventIsWrittenInItsOwnTransactionAndOnlyThere() {
        String patient = newPatient();

        HttpResponse<String> created = create(patient);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        verify(store).insertJoined(any(), concerning(patient), any());
        verify(store, never()).insert(any(), concerning(patient), any());
        assertThat(eventsOf(patient)).isEqualTo(1);
        String id = parse(QuestionnaireResponse.class, created).getIdPart();
        assertThat(jdbc.queryForObject(
                        "select count(*) from audit_event_entity where entity_type = 'QuestionnaireResponse'"
                                + " and entity_id = ?",
                        Integer.class,
                        id))
                .isEqualTo(1);
    }

    @Test
    void aFailedStatementInTheSubmissionsTransactionIsUndoneAndTheEventRecordedAfter() {
        String patient = newPatient();
        // A statement that fails in the database: on PostgreSQL it would doom the transaction without a savepoint.
        doAnswer(invocation -> {
                    jdbc.update("insert into audit_event (id, recorded, action, outcome, subtype, resource_json)"
                            + " values (null, current_timestamp, 'C', '0', 'create', '{}')");
                    return null;
                })
                .when(store)
                .writeRows(any());
        double before = failures();

        HttpResponse<String> created = create(patient);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(storedFor(patient)).isEqualTo(1);
        verify(store).insert(any(), concerning(patient), any());
        assertThat(eventsOf(patient)).isEqualTo(1);
        assertThat(failures()).isEqualTo(before);
    }

    @Test
    void whenTheEventCannotBeWrittenEitherWayTheSubmissionStillSucceedsAndTheLossIsCounted() {
        String patient = newPatient();
        doThrow(new DataAccessResourceFailureException("down")).when(store).writeRows(any());
        doThrow(new DataAccessResourceFailureException("down")).when(store).insert(any(), any(), any());
        double before = failures();

        HttpResponse<String> submitted = post(
                "/QuestionnaireResponse/$submit",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/" + patient).build()));

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        assertThat(storedFor(patient)).isEqualTo(1);
        assertThat(eventsOf(patient)).isZero();
        assertThat(failures()).isEqualTo(before + 1);
    }
}
