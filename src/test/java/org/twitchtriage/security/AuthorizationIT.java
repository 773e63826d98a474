package org.twitchtriage.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.security.internal.AccessRules;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * The auth matrix, with a real resource server: tokens signed by a key this test made, its JWK set
 * served by WireMock. 401 for no token, an expired one, another issuer, another audience or a bad
 * signature; 403 for a scope that does not cover the interaction and for another patient's data on
 * submit, dry run, read and search; success for the patient's own data.
 */
class AuthorizationIT extends FhirHttpTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ME = "me-" + RUN;
    private static final String OTHER = "other-" + RUN;

    private static final String SUBMIT_V1 =
            "patient/QuestionnaireResponse.write patient/QuestionnaireResponse.read" + " patient/Observation.read";
    private static final String SUBMIT_V2 = "patient/QuestionnaireResponse.crs patient/Observation.rs";
    private static final String SYSTEM = "system/*.*";
    private static final String CORRECT = "patient/QuestionnaireResponse.crus patient/Observation.rs";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
        registry.add("security.cors-allowed-origins", () -> "https://portal.example.test");
    }

    // --- 401: who is calling cannot be established

    @Test
    void noTokenIsUnauthorizedWithAChallenge() {
        HttpResponse<String> response = submit(
                null, ChecklistResponses.benign().subject("Patient/" + ME).build());
        assertThat(outcome(response, 401).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        assertThat(get("/Observation?patient=Patient/" + ME).statusCode()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        assertRefused(TestTokens.patient(ME, SUBMIT_V2).expired().build());
    }

    @Test
    void aTokenFromAnotherIssuerIsUnauthorized() {
        assertRefused(TestTokens.patient(ME, SUBMIT_V2)
                .issuer("https://elsewhere.example.test")
                .build());
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthorized() {
        assertRefused(TestTokens.patient(ME, SUBMIT_V2)
                .audience("https://another-server.example.test")
                .build());
    }

    @Test
    void aTokenWithABadSignatureIsUnauthorized() {
        assertRefused(TestTokens.patient(ME, SUBMIT_V2).signedByAnotherKey().build());
        String good = TestTokens.patient(ME, SUBMIT_V2).build();
        assertRefused(good.substring(0, good.lastIndexOf('.') + 1) + "AAAA");
        assertRefused("not-a-jwt");
    }

    private void assertRefused(String token) {
        int before = storedResponses();
        HttpResponse<String> response = submit(
                token, ChecklistResponses.benign().subject("Patient/" + ME).build());
        OperationOutcome outcome = outcome(response, 401);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(storedResponses()).isEqualTo(before);
    }

    // --- 403: the caller is known, but may not do this

    @Test
    void aScopeForAnotherTypeOrPermissionIsForbidden() {
        QuestionnaireResponse mine =
                ChecklistResponses.benign().subject("Patient/" + ME).build();
        OperationOutcome outcome =
                outcome(submit(TestTokens.patient(ME, "patient/Observation.rs").build(), mine), 403);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .contains("create on QuestionnaireResponse")
                .contains("patient/QuestionnaireResponse.c");
        outcome(
                submit(
                        TestTokens.patient(ME, "patient/QuestionnaireResponse.read")
                                .build(),
                        mine),
                403);
        outcome(
                submit(
                        TestTokens.patient(ME, "patient/QuestionnaireResponse.rs?status=completed")
                                .build(),
                        mine),
                403);
        outcome(submit(TestTokens.patient(ME, "openid fhirUser launch/patient").build(), mine), 403);
    }

    @Test
    void submittingForAnotherPatientIsForbiddenAndStoresNothing() {
        String token = TestTokens.patient(ME, SUBMIT_V2).build();
        QuestionnaireResponse theirs = ChecklistResponses.benign()
                .subject("Patient/" + OTHER)
                .identifier("urn:ietf:rfc:3986", "urn:uuid:" + UUID.randomUUID())
                .build();
        int before = storedResponses();
        outcome(submit(token, theirs), 403);
        outcome(operation(token, "$submit", theirs), 403);
        QuestionnaireResponse anonymous =
                ChecklistResponses.benign().subject(null).build();
        outcome(submit(token, anonymous), 403);
        assertThat(storedResponses()).isEqualTo(before);
    }

    @Test
    void aDryRunForAnotherPatientIsForbidden() {
        String token = TestTokens.patient(ME, SUBMIT_V2).build();
        outcome(
                operation(
                        token,
                        "$triage",
                        ChecklistResponses.benign().subject("Patient/" + OTHER).build()),
                403);
        HttpResponse<String> own = operation(
                token,
                "$triage",
                ChecklistResponses.benign().subject("Patient/" + ME).build());
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void readingAnotherPatientsDataIsForbidden() {
        String theirs = created(TestTokens.system(SYSTEM).build(), OTHER);
        String token = TestTokens.patient(ME, SUBMIT_V2).build();
        outcome(get("/QuestionnaireResponse/" + theirs, auth(token)), 403);
        outcome(get("/QuestionnaireResponse/" + theirs + "/_history/1", auth(token)), 403);
        outcome(get("/QuestionnaireResponse?patient=Patient/" + OTHER, auth(token)), 403);
        outcome(get("/Observation?subject=Patient/" + OTHER, auth(token)), 403);
        outcome(get("/Observation?subject:identifier=x%7Cy", auth(token)), 403);
    }

    @Test
    void replayingAnotherPatientsIdentifierRevealsNothing() {
        String identifier = "urn:uuid:" + UUID.randomUUID();
        HttpResponse<String> theirs = submit(
                TestTokens.system(SYSTEM).build(),
                ChecklistResponses.benign()
                        .subject("Patient/" + OTHER)
                        .identifier("urn:ietf:rfc:3986", identifier)
                        .build());
        assertThat(theirs.statusCode()).isEqualTo(201);
        HttpResponse<String> replay = submit(
                TestTokens.patient(ME, SUBMIT_V2).build(),
                ChecklistResponses.benign()
                        .subject("Patient/" + ME)
                        .identifier("urn:ietf:rfc:3986", identifier)
                        .build());
        outcome(replay, 403);
        assertThat(replay.body()).doesNotContain(OTHER);
    }

    @Test
    void correctingOrRetractingAnotherPatientsResponseIsForbiddenAndChangesNothing() {
        String identifier = "urn:uuid:" + UUID.randomUUID();
        HttpResponse<String> created = submit(
                TestTokens.system(SYSTEM).build(),
                ChecklistResponses.benign()
                        .subject("Patient/" + OTHER)
                        .identifier("urn:ietf:rfc:3986", identifier)
                        .build());
        String theirs = parse(QuestionnaireResponse.class, created).getIdPart();
        String token = TestTokens.patient(ME, CORRECT).build();
        ChecklistResponses mine = ChecklistResponses.benign()
                .answer("numbness-tingling", true)
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                .identifier("urn:ietf:rfc:3986", identifier);

        HttpResponse<String> asMine =
                update(token, theirs, mine.subject("Patient/" + ME).build());
        outcome(asMine, 403);
        assertThat(asMine.body()).doesNotContain(OTHER);
        outcome(update(token, theirs, mine.subject("Patient/" + OTHER).build()), 403);
        outcome(
                update(
                        token,
                        theirs,
                        mine.subject("Patient/" + ME)
                                .status(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR)
                                .build()),
                403);
        HttpResponse<String> conditional = put(
                "/QuestionnaireResponse?identifier=" + URLEncoder.encode("urn:ietf:rfc:3986|" + identifier, UTF_8),
                JSON,
                json(mine.subject("Patient/" + ME)
                        .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                        .build()),
                auth(token));
        outcome(conditional, 403);
        assertThat(conditional.body()).doesNotContain(OTHER);

        assertThat(jdbc.queryForObject(
                        "select version_id from questionnaire_response where id = ?", Integer.class, theirs))
                .isEqualTo(1);
    }

    @Test
    void thePatientCorrectsTheirOwnResponseWithAnUpdateScopeOnly() {
        String own = created(TestTokens.system(SYSTEM).build(), ME);
        QuestionnaireResponse correction = ChecklistResponses.benign()
                .subject("Patient/" + ME)
                .answer("numbness-tingling", true)
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                .build();

        outcome(update(TestTokens.patient(ME, SUBMIT_V2).build(), own, correction), 403);
        HttpResponse<String> corrected = update(TestTokens.patient(ME, CORRECT).build(), own, correction);

        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
        assertThat(parse(QuestionnaireResponse.class, corrected).getMeta().getVersionId())
                .isEqualTo("2");
    }

    @Test
    void patientContextStopsAtResourcesThatDoNotNameTheirPatient() {
        String token = TestTokens.patient(ME, "patient/*.rs").build();
        outcome(get("/Provenance?target=QuestionnaireResponse/x", auth(token)), 403);
        outcome(get("/$failed-deliveries", auth(token)), 403);
    }

    // --- allowed

    @ParameterizedTest
    @ValueSource(strings = {SUBMIT_V1, SUBMIT_V2})
    void thePatientSubmitsAndReadsTheirOwn(String scopes) {
        String token = TestTokens.patient(ME, scopes).build();
        HttpResponse<String> created = submit(
                token, ChecklistResponses.benign().subject("Patient/" + ME).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = parse(QuestionnaireResponse.class, created).getIdElement().getIdPart();
        assertThat(get("/QuestionnaireResponse/" + id, auth(token)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> submitted = operation(
                token,
                "$submit",
                ChecklistResponses.benign().subject("Patient/" + ME).build());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    }

    @Test
    void aPatientsSearchIsNarrowedToThatPatient() {
        String system = TestTokens.system(SYSTEM).build();
        created(system, OTHER);
        created(system, ME);
        String token = TestTokens.patient(ME, SUBMIT_V2).build();
        for (String query : new String[] {"/Observation", "/QuestionnaireResponse", "/Observation?patient=" + ME}) {
            HttpResponse<String> response = get(query, auth(token));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Bundle bundle = parse(Bundle.class, response);
            assertThat(bundle.getEntry())
                    .isNotEmpty()
                    .allSatisfy(entry -> assertThat(((Reference) entry.getResource()
                                            .getNamedProperty("subject")
                                            .getValues()
                                            .get(0))
                                    .getReference())
                            .isEqualTo("Patient/" + ME));
            assertThat(response.body()).doesNotContain("Patient/" + OTHER);
        }
    }

    @Test
    void clinicianScopesReadEveryonesResultsButDoNotSubmit() {
        created(TestTokens.system(SYSTEM).build(), OTHER);
        String clinician = TestTokens.user("user/Observation.read user/QuestionnaireResponse.rs")
                .build();
        HttpResponse<String> search = get("/Observation?patient=Patient/" + OTHER, auth(clinician));
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(parse(Bundle.class, search).getEntry())
                .isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.getResource()).isInstanceOf(Observation.class));
        outcome(
                submit(
                        clinician,
                        ChecklistResponses.benign().subject("Patient/" + OTHER).build()),
                403);
        outcome(get("/ServiceRequest?patient=Patient/" + OTHER, auth(clinician)), 403);
    }

    @Test
    void theRuleFeedbackFiguresNeedAUserOrSystemScopeThatSearchesObservations() {
        String clinician = TestTokens.user("user/Observation.rs").build();
        HttpResponse<String> figures = get("/PlanDefinition/$rule-feedback", auth(clinician));
        assertThat(figures.statusCode()).as(figures.body()).isEqualTo(200);
        assertThat(get(
                                "/PlanDefinition/$rule-feedback",
                                auth(TestTokens.system("system/Observation.s").build()))
                        .statusCode())
                .isEqualTo(200);
        outcome(get("/PlanDefinition/$rule-feedback"), 401);
        outcome(
                get(
                        "/PlanDefinition/$rule-feedback",
                        auth(TestTokens.user("user/QuestionnaireResponse.rs").build())),
                403);
        outcome(
                get(
                        "/PlanDefinition/$rule-feedback",
                        auth(TestTokens.patient(ME, "patient/Observation.rs").build())),
                403);
    }

    @Test
    void systemScopesServeBackEndClients() {
        String system = TestTokens.system("system/QuestionnaireResponse.rs").build();
        HttpResponse<String> failed = get("/$failed-deliveries", auth(system));
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
        outcome(
                submit(
                        system,
                        ChecklistResponses.benign().subject("Patient/" + OTHER).build()),
                403);
    }

    @Test
    void publishedContentAndTheCapabilityStatementNeedNoToken() {
        assertThat(get("/metadata").statusCode()).isEqualTo(200);
        assertThat(get("/Questionnaire?url=" + ChecklistResponses.QUESTIONNAIRE).statusCode())
                .isEqualTo(200);
        assertThat(get("/CodeSystem").statusCode()).isEqualTo(200);
        outcome(get("/Device/twitch-triage"), 401);
    }

    @Test
    void actuatorNeedsTheOperationsScopeExceptForHealth() {
        assertThat(actuator("/health/readiness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> anonymousHealth = actuator("/health", null);
        assertThat(anonymousHealth.body())
                .as("anonymous callers see each component's status, no details")
                .contains("\"ehr\":{\"status\"")
                .doesNotContain("details", "backlog");
        assertThat(actuator("/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong =
                actuator("/metrics", TestTokens.system(SYSTEM).build());
        outcome(wrong, 403);
        assertThat(actuator("/metrics", TestTokens.system("operations").build()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void portalsOnTheConfiguredOriginMayCallFromABrowser() {
        HttpResponse<String> allowed = preflight("https://portal.example.test");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://portal.example.test");
        assertThat(allowed.headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("authorization");
        HttpResponse<String> other = preflight("https://elsewhere.example.test");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // --- discovery

    @Test
    void smartConfigurationNamesTheAuthorizationServerAndTheScopes() throws Exception {
        HttpResponse<String> response = get("/.well-known/smart-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("issuer").asText()).isEqualTo(TestTokens.issuer());
        assertThat(body.path("token_endpoint").asText()).isEqualTo(TestTokens.issuer() + "/token");
        assertThat(body.path("authorization_endpoint").asText()).isEqualTo(TestTokens.issuer() + "/authorize");
        assertThat(body.path("token_endpoint_auth_methods_supported").toString())
                .contains("private_key_jwt");
        assertThat(body.path("scopes_supported").toString())
                .contains(
                        "patient/QuestionnaireResponse.crs",
                        "patient/QuestionnaireResponse.write",
                        "user/Observation.rs",
                        "system/QuestionnaireResponse.crus",
                        "user/AuditEvent.rs",
                        "operations");
        List<String> capabilities = new ArrayList<>();
        body.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
        assertThat(capabilities)
                .as("what the patient form's EHR and standalone launches need")
                .contains(
                        "launch-ehr",
                        "launch-standalone",
                        "client-public",
                        "context-ehr-patient",
                        "context-standalone-patient",
                        "permission-v2");
        assertThat(body.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    }

    @Test
    void theCapabilityStatementDescribesTheSecurity() {
        CapabilityStatement capability = parse(CapabilityStatement.class, get("/metadata"));
        CapabilityStatement.CapabilityStatementRestSecurityComponent security =
                capability.getRestFirstRep().getSecurity();
        assertThat(security.getCors()).isTrue();
        assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
        Extension uris =
                security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        assertThat(uris.getExtensionByUrl("token").getValue().primitiveValue())
                .isEqualTo(TestTokens.issuer() + "/token");
        assertThat(uris.getExtensionByUrl("authorize").getValue().primitiveValue())
                .isEqualTo(TestTokens.issuer() + "/authorize");
        assertThat(security.getDescription()).contains("patient/QuestionnaireResponse.c");
    }

    @Test
    void everyPublishedOperationHasAnAccessRule() {
        CapabilityStatement capability = parse(CapabilityStatement.class, get("/metadata"));
        Set<String> published = new TreeSet<>();
        capability.getRestFirstRep().getOperation().forEach(op -> published.add("$" + op.getName()));
        capability
                .getRestFirstRep()
                .getResource()
                .forEach(resource -> resource.getOperation().forEach(op -> published.add("$" + op.getName())));
        assertThat(published).isNotEmpty();
        assertThat(AccessRules.coveredOperations()).containsAll(published);
    }

    // --- helpers

    private HttpResponse<String> preflight(String origin) {
        return send(HttpRequest.newBuilder(URI.create(fhirBase() + "/QuestionnaireResponse"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build());
    }

    private HttpResponse<String> actuator(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator" + path))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private String created(String token, String patient) {
        HttpResponse<String> response = submit(
                token, ChecklistResponses.benign().subject("Patient/" + patient).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return parse(QuestionnaireResponse.class, response).getIdElement().getIdPart();
    }

    private HttpResponse<String> submit(String token, QuestionnaireResponse response) {
        return token == null
                ? post("/QuestionnaireResponse", JSON, json(response))
                : post("/QuestionnaireResponse", JSON, json(response), auth(token));
    }

    private HttpResponse<String> update(String token, String id, QuestionnaireResponse response) {
        QuestionnaireResponse body = response.copy();
        body.setId(id);
        return put("/QuestionnaireResponse/" + id, JSON, json(body), auth(token));
    }

    private HttpResponse<String> operation(String token, String name, QuestionnaireResponse response) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("resource").setResource(response);
        return post("/QuestionnaireResponse/" + name, JSON, json(parameters), auth(token));
    }

    private static String[] auth(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
