package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.twitchtriage.TwitchTriageApplication;

/**
 * The running application on a random port, with helpers to drive {@code /fhir} over HTTP. Subclasses
 * choose the database: {@link IntegrationTest} shares one per test run; tests whose application runs
 * background work (the EHR dispatcher) take one of their own from {@link TestDatabase#configureIsolated}.
 */
@SpringBootTest(classes = TwitchTriageApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FhirHttpTest {

    protected static final FhirContext FHIR = FhirRequests.FHIR;
    protected static final String JSON = FhirRequests.JSON;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected String fhirBase() {
        return "http://localhost:" + port + "/fhir";
    }

    protected int storedResponses() {
        return jdbc.queryForObject("select count(*) from questionnaire_response", Integer.class);
    }

    protected static String json(IBaseResource resource) {
        return FhirRequests.json(resource);
    }

    protected HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        return FhirRequests.post(fhirBase(), path, contentType, body, headers);
    }

    protected HttpResponse<String> put(String path, String contentType, String body, String... headers) {
        return FhirRequests.put(fhirBase(), path, contentType, body, headers);
    }

    protected HttpResponse<String> get(String pathAndQuery, String... headers) {
        return FhirRequests.get(fhirBase(), pathAndQuery, headers);
    }

    protected static HttpResponse<String> send(HttpRequest request) {
        return FhirRequests.send(request);
    }

    protected static <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
        return FhirRequests.parse(type, response);
    }

    /** Submits the response, which must be accepted as new, and returns the id it was stored under. */
    protected String submit(QuestionnaireResponse response) {
        return FhirRequests.submit(fhirBase(), response);
    }

    protected String submit(ChecklistResponses response) {
        return submit(response.build());
    }

    /** Waits until the submission's delivery has the status wanted, and returns the $delivery-status answer. */
    protected Parameters awaitStatus(String id, String wanted) {
        return FhirRequests.awaitStatus(fhirBase(), id, wanted);
    }

    /** Asserts the response is an OperationOutcome with the status given, and returns it. */
    protected static OperationOutcome outcome(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = parse(OperationOutcome.class, response);
        assertThat(outcome.getIssue()).isNotEmpty();
        return outcome;
    }
}
