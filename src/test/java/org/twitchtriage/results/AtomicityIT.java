package org.twitchtriage.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.twitchtriage.results.internal.TriageRows;
import org.twitchtriage.testing.IntegrationTest;

/** A response and its triage results are stored together or not at all. */
class AtomicityIT extends IntegrationTest {

    @MockitoSpyBean
    TriageRows results;

    @AfterEach
    void restore() {
        reset(results);
    }

    @Test
    void whenStoringTheResultsFailsTheResponseIsNotStoredEither() {
        // The shared Device is committed ahead of a submission's own transaction: stored first, it is in both
        // counts below, which then compare only what the failing submission adds. This test may be the first
        // to submit on a fresh database.
        assertThat(post(
                                "/QuestionnaireResponse",
                                JSON,
                                json(benign().answer("spreading", true).build()))
                        .statusCode())
                .isEqualTo(201);
        doThrow(new IllegalStateException("storage failure")).when(results).insert(any(), any(), any(), any());
        int responses = storedResponses();
        int rows = jdbc.queryForObject("select count(*) from triage_resource", Integer.class);
        String identifier = UUID.randomUUID().toString();

        HttpResponse<String> failed = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier("urn:test:portal", identifier)
                        .answer("spreading", true)
                        .build()));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("storage failure");
        assertThat(storedResponses()).isEqualTo(responses);
        assertThat(jdbc.queryForObject("select count(*) from triage_resource", Integer.class))
                .isEqualTo(rows);

        reset(results);
        HttpResponse<String> retried = post(
                "/QuestionnaireResponse",
                JSON,
                json(benign().identifier("urn:test:portal", identifier)
                        .answer("spreading", true)
                        .build()));
        assertThat(retried.statusCode())
                .as("the retry is a first acceptance, not a duplicate")
                .isEqualTo(201);
    }
}
