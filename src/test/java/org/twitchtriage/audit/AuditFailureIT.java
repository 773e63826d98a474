package org.twitchtriage.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.twitchtriage.audit.internal.AuditStore;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** An AuditEvent that cannot be stored is logged and counted; the interaction it describes still completes. */
class AuditFailureIT extends IntegrationTest {

    @MockitoSpyBean
    private AuditStore store;

    @Autowired
    private MeterRegistry registry;

    @Test
    void aReadSucceedsWhenItsAuditEventCannotBeStored() {
        HttpResponse<String> submitted = post(
                "/QuestionnaireResponse/$submit",
                JSON,
                json(ChecklistResponses.benign()
                        .subject("Patient/audit-failure")
                        .build()));
        String id = parse(Bundle.class, submitted)
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .getIdPart();
        doThrow(new DataAccessResourceFailureException("down")).when(store).insert(any(), any(), any());
        double before = registry.counter("twitchtriage.audit.failures").count();

        HttpResponse<String> read = get("/QuestionnaireResponse/" + id);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, read).getIdElement().getIdPart())
                .isEqualTo(id);
        assertThat(registry.counter("twitchtriage.audit.failures").count()).isEqualTo(before + 1);
    }
}
