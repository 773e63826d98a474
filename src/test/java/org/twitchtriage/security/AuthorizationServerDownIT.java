package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/** While the authorization server cannot be reached, tokens cannot be checked: 503, never a bare 500. */
class AuthorizationServerDownIT extends FhirHttpTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        // Nothing listens on port 9 of loopback: discovery of the issuer's keys fails.
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> "http://127.0.0.1:9/realm");
    }

    @Test
    void aTokenThatCannotBeCheckedGets503AndNothingIsStored() {
        int before = storedResponses();
        String token = TestTokens.patient("p1", "patient/QuestionnaireResponse.c")
                .issuer("http://127.0.0.1:9/realm")
                .build();
        HttpResponse<String> response = post(
                "/QuestionnaireResponse",
                JSON,
                json(ChecklistResponses.benign().subject("Patient/p1").build()),
                "Authorization",
                "Bearer " + token);
        outcome(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void requestsWithoutATokenAreStillAnswered() {
        outcome(
                post(
                        "/QuestionnaireResponse",
                        JSON,
                        json(ChecklistResponses.benign().build())),
                401);
        assertThat(get("/metadata").statusCode()).isEqualTo(200);
    }
}
