package org.twitchtriage.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.CdsHooks;
import org.twitchtriage.testing.IntegrationTest;

/** Development mode with a trusted EHR configured: the service is no longer open, every call needs its JWT. */
class CdsHooksDevelopmentJwtIT extends IntegrationTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CdsHooks.trustTheEhr(registry);
    }

    @Test
    void aTrustedIssuerMakesTheJwtRequiredEvenInDevelopmentMode() {
        HttpResponse<String> without = CdsHooks.call(port, CdsHooks.patientView("example-cds-dev-1"), null);
        HttpResponse<String> with = CdsHooks.call(
                port, CdsHooks.patientView("example-cds-dev-1"), CdsHooks.jwt().build());

        assertThat(without.statusCode()).as(without.body()).isEqualTo(401);
        assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
    }
}
