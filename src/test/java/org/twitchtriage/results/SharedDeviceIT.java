package org.twitchtriage.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;

/** The first submissions on an empty database race to store the shared Device; none of them may fail. */
class SharedDeviceIT extends FhirHttpTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.configureIsolated(registry, "shared_device");
    }

    @Test
    void concurrentFirstSubmissionsAllSucceedAndStoreOneDevice() throws Exception {
        assertThat(jdbc.queryForObject("select count(*) from triage_resource", Integer.class))
                .isZero();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String body = json(benign().subject("Patient/synthetic-" + i)
                        .answer("spreading", true)
                        .build());
                responses.add(pool.submit(() -> post("/QuestionnaireResponse", JSON, body)));
            }
            for (Future<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode())
                        .as(response.get().body())
                        .isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject(
                        "select count(*) from triage_resource where resource_type = 'Device'", Integer.class))
                .isEqualTo(1);
        assertThat(storedResponses()).isEqualTo(8);
    }
}
