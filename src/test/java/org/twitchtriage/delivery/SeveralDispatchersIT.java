package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.twitchtriage.testing.FhirRequests;

/**
 * Two instances of the module share one database (PostgreSQL in CI's second pass) and both dispatch:
 * every submission reaches the EHR exactly once.
 */
class SeveralDispatchersIT {

    private static final int SUBMISSIONS = 24;

    @Test
    void everySubmissionIsDeliveredOnce() {
        EhrStub.reset();
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(20).withTransformers(EhrStub.TRANSACTION)));
        List<String> arguments = DeliveryApps.arguments("several_dispatchers", "--ehr.max-concurrency=3");
        try (ConfigurableApplicationContext first = DeliveryApps.start(arguments);
                ConfigurableApplicationContext second = DeliveryApps.start(arguments)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                String base = DeliveryApps.base(i % 2 == 0 ? first : second);
                ids.add(FhirRequests.submit(
                        base, benign().subject("Patient/synthetic-" + i).build()));
            }

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ids.stream()
                            .allMatch(id -> "delivered".equals(FhirRequests.status(DeliveryApps.base(first), id))));

            for (String id : ids) {
                assertThat(EhrStub.requestsFor(id)).as("requests for " + id).hasSize(1);
            }
            assertThat(EhrStub.posts()).hasSize(SUBMISSIONS);
        }
    }
}
