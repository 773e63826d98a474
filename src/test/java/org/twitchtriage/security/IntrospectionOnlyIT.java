package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * With an introspection endpoint and no JWT issuer, the module is in secured mode and every bearer token,
 * JWT-shaped or not, is checked at the endpoint.
 */
class IntrospectionOnlyIT extends FhirHttpTest {

    private static final String ME = "me-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SUBMIT = "patient/QuestionnaireResponse.crs patient/Observation.rs";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configureIntrospection(registry);
    }

    @Test
    void requestsWithoutATokenAreRefused() {
        outcome(post("/QuestionnaireResponse", JSON, json(mine())), 401);
        assertThat(get("/metadata").statusCode()).isEqualTo(200);
    }

    @Test
    void anOpaqueTokenIsIntrospected() {
        String token = TestTokens.opaquePatient(ME, SUBMIT).register();
        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, json(mine()), auth(token));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(TestTokens.introspections(token)).isEqualTo(1);
    }

    @Test
    void aJwtIsIntrospectedTooAndRefusedWhenTheEndpointDoesNotKnowIt() {
        String jwt = TestTokens.patient(ME, SUBMIT).build();
        outcome(post("/QuestionnaireResponse", JSON, json(mine()), auth(jwt)), 401);
        assertThat(TestTokens.introspections(jwt)).isEqualTo(1);
    }

    private static QuestionnaireResponse mine() {
        return ChecklistResponses.benign().subject("Patient/" + ME).build();
    }

    private static String[] auth(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
