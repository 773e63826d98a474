package org.twitchtriage.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.twitchtriage.testing.IntegrationTest;

/** The {@code ehr} health component with the default settings: no {@code ehr.base-url}, delivery off. */
class EhrHealthDeliveryOffIT extends IntegrationTest {

    @Autowired
    private HealthEndpoint healthEndpoint;

    @Test
    void theEhrComponentIsUpAndSaysDeliveryIsOff() {
        Health ehr = (Health) healthEndpoint.healthForPath("ehr");

        assertThat(ehr.getStatus()).isEqualTo(Status.UP);
        assertThat(ehr.getDetails())
                .containsEntry("delivery", "off")
                .containsKeys("backlog", "failed", "oldestPendingAge")
                .doesNotContainKeys("reachable", "httpStatus");
    }

    @Test
    void inDevelopmentModeEveryCallerOnLoopbackSeesTheDetails() {
        HttpResponse<String> aggregate = health("");
        assertThat(aggregate.statusCode()).as(aggregate.body()).isEqualTo(200);
        assertThat(aggregate.body()).contains("\"ehr\":{\"status\":\"UP\"", "\"delivery\":\"off\"");

        HttpResponse<String> component = health("/ehr");
        assertThat(component.statusCode()).as(component.body()).isEqualTo(200);
        assertThat(component.body()).contains("\"details\"", "\"backlog\"");

        assertThat(health("/readiness").statusCode()).isEqualTo(200);
        assertThat(health("/liveness").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> health(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health" + path))
                .build());
    }
}
