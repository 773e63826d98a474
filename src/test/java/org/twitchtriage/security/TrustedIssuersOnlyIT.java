package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/** With only a trusted issuer configured the module is in secured mode, and accepts only that issuer's tokens. */
class TrustedIssuersOnlyIT extends FhirHttpTest {

    private static final String EHR = "https://ehr.example.test/fhir";
    private static final TestTokens.Issuer PORTAL = TestTokens.otherIssuer("portal-only");
    private static final String SCOPES = "patient/QuestionnaireResponse.c";

    private final String patient = "example-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        PORTAL.trust(registry, 0, EHR, EHR);
    }

    @Test
    void requestsWithoutATokenAreRefused() {
        outcome(post("/QuestionnaireResponse", JSON, json(mine())), 401);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/launch/config"))
                                .build())
                        .body())
                .contains("\"secured\":true");
    }

    @Test
    void theTrustedIssuersTokenIsAcceptedAndNoOtherJwt() {
        String token = PORTAL.patient(patient, SCOPES, EHR).build();
        assertThat(post("/QuestionnaireResponse", JSON, json(mine()), "Authorization", "Bearer " + token)
                        .statusCode())
                .isEqualTo(201);
        String primary = TestTokens.patient(patient, SCOPES).audience(EHR).build();
        outcome(post("/QuestionnaireResponse", JSON, json(mine()), "Authorization", "Bearer " + primary), 401);
        outcome(post("/QuestionnaireResponse", JSON, json(mine()), "Authorization", "Bearer not-a-jwt"), 401);
    }

    private QuestionnaireResponse mine() {
        return ChecklistResponses.benign().subject("Patient/" + patient).build();
    }
}
