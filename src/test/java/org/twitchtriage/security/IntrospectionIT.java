package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * Opaque tokens checked at a stub RFC 7662 introspection endpoint, beside JWTs: the patient and scopes come
 * from the endpoint's answer and are applied as a JWT's are; an inactive or expired answer is 401; an
 * endpoint that cannot answer is 503; an active answer is reused for a while; a JWT is still validated as
 * one and never sent to the endpoint.
 */
class IntrospectionIT extends FhirHttpTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ME = "me-" + RUN;
    private static final String OTHER = "other-" + RUN;
    private static final String SUBMIT = "patient/QuestionnaireResponse.crs patient/Observation.rs";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
        TestTokens.configureIntrospection(registry);
    }

    @Test
    void thePatientSubmitsAndReadsTheirOwnWithAnOpaqueToken() {
        String token = TestTokens.opaquePatient(ME, SUBMIT).register();
        HttpResponse<String> created = submit(token, mine());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        QuestionnaireResponse stored = parse(QuestionnaireResponse.class, created);
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + ME);

        HttpResponse<String> read = get("/QuestionnaireResponse/" + stored.getIdPart(), auth(token));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        HttpResponse<String> search = get("/Observation", auth(token));
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(parse(Bundle.class, search).getEntry()).isNotEmpty();
        assertThat(search.body()).doesNotContain("Patient/" + OTHER);
    }

    @Test
    void aPatientReferenceInTheAnswerIsAcceptedLikeABareId() {
        String token = TestTokens.opaquePatient(ME, SUBMIT)
                .member("patient", "Patient/" + ME)
                .register();
        HttpResponse<String> created = submit(token, mine());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void anInactiveTokenIsUnauthorizedAndNothingIsStored() {
        assertUnauthorized(TestTokens.opaquePatient(ME, SUBMIT).inactive().register());
        assertUnauthorized("opaque-never-issued-" + RUN);
    }

    @Test
    void anActiveAnswerWhoseExpiryHasPassedIsUnauthorized() {
        assertUnauthorized(TestTokens.opaquePatient(ME, SUBMIT).expired().register());
    }

    @Test
    void anotherPatientsTokenIsForbiddenToSubmitOrReadForThem() {
        String theirs = created(TestTokens.system("system/*.*").build(), OTHER);
        String token = TestTokens.opaquePatient(ME, SUBMIT).register();
        int before = storedResponses();
        outcome(
                submit(
                        token,
                        ChecklistResponses.benign().subject("Patient/" + OTHER).build()),
                403);
        assertThat(storedResponses()).isEqualTo(before);
        outcome(get("/QuestionnaireResponse/" + theirs, auth(token)), 403);
        outcome(get("/Observation?patient=Patient/" + OTHER, auth(token)), 403);
    }

    @Test
    void theAnswersScopesNarrowAccessLikeATokensScopes() {
        String readOnly = TestTokens.opaquePatient(ME, "patient/Observation.rs").register();
        OperationOutcome refused = outcome(submit(readOnly, mine()), 403);
        assertThat(refused.getIssueFirstRep().getDiagnostics()).contains("patient/QuestionnaireResponse.c");
        assertThat(get("/Observation", auth(readOnly)).statusCode()).isEqualTo(200);

        String noScope = TestTokens.opaquePatient(ME, null).register();
        outcome(submit(noScope, mine()), 403);
    }

    @Test
    void aClinicianOrBackEndTokenReachesEveryPatientWithinItsScopes() {
        created(TestTokens.system("system/*.*").build(), OTHER);
        String clinician = TestTokens.opaque()
                .member("sub", "clinician-1")
                .member("fhirUser", "Practitioner/clinician-1")
                .member("scope", "openid fhirUser user/Observation.rs")
                .register();
        HttpResponse<String> search = get("/Observation?patient=Patient/" + OTHER, auth(clinician));
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(parse(Bundle.class, search).getEntry()).isNotEmpty();
        outcome(
                submit(
                        clinician,
                        ChecklistResponses.benign().subject("Patient/" + OTHER).build()),
                403);

        String backEnd = TestTokens.opaque()
                .member("sub", "backend-client")
                .member("client_id", "backend-client")
                .member("scope", "system/QuestionnaireResponse.crs")
                .register();
        assertThat(submit(
                                backEnd,
                                ChecklistResponses.benign()
                                        .subject("Patient/" + OTHER)
                                        .build())
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void anEndpointThatCannotAnswerIsServiceUnavailableNeverAServerError() {
        int before = storedResponses();
        for (String token : List.of(
                TestTokens.opaquePatient(ME, SUBMIT).unreachable().register(),
                TestTokens.opaquePatient(ME, SUBMIT).failing(500).register(),
                TestTokens.opaquePatient(ME, SUBMIT).failing(401).register())) {
            HttpResponse<String> response = submit(token, mine());
            OperationOutcome outcome = outcome(response, 503);
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.TRANSIENT);
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("cannot be checked");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(response.body()).doesNotContain(token);
        }
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void anActiveAnswerIsReusedForTheNextRequests() {
        String token = TestTokens.opaquePatient(ME, SUBMIT).register();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/Observation", auth(token)).statusCode()).isEqualTo(200);
        }
        assertThat(TestTokens.introspections(token)).isEqualTo(1);

        String inactive = TestTokens.opaquePatient(ME, SUBMIT).inactive().register();
        for (int i = 0; i < 2; i++) {
            outcome(get("/Observation", auth(inactive)), 401);
        }
        assertThat(TestTokens.introspections(inactive)).isEqualTo(2);
    }

    @Test
    void aJwtIsStillValidatedAsAJwtAndNeverIntrospected() {
        String jwt = TestTokens.patient(ME, SUBMIT).build();
        HttpResponse<String> created = submit(jwt, mine());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        String expired = TestTokens.patient(ME, SUBMIT).expired().build();
        outcome(submit(expired, mine()), 401);
        String forged = TestTokens.patient(ME, SUBMIT).signedByAnotherKey().build();
        outcome(submit(forged, mine()), 401);
        assertThat(TestTokens.introspections(jwt)
                        + TestTokens.introspections(expired)
                        + TestTokens.introspections(forged))
                .isZero();
    }

    @Test
    void theOperationsScopeFromAnAnswerOpensTheActuator() {
        String operations = TestTokens.opaque()
                .member("sub", "monitoring")
                .member("scope", "operations")
                .register();
        assertThat(actuator("/metrics", operations).statusCode()).isEqualTo(200);
        String other = TestTokens.opaquePatient(ME, SUBMIT).register();
        outcome(actuator("/metrics", other), 403);
    }

    private void assertUnauthorized(String token) {
        int before = storedResponses();
        HttpResponse<String> response = submit(token, mine());
        OperationOutcome outcome = outcome(response, 401);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.LOGIN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("not accepted");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(storedResponses()).isEqualTo(before);
    }

    private static QuestionnaireResponse mine() {
        return ChecklistResponses.benign().subject("Patient/" + ME).build();
    }

    private String created(String token, String patient) {
        HttpResponse<String> response = submit(
                token, ChecklistResponses.benign().subject("Patient/" + patient).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return parse(QuestionnaireResponse.class, response).getIdPart();
    }

    private HttpResponse<String> submit(String token, QuestionnaireResponse response) {
        return post("/QuestionnaireResponse", JSON, json(response), auth(token));
    }

    private HttpResponse<String> actuator(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator" + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    private static String[] auth(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
