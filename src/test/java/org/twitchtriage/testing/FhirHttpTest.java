package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
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

    protected static final FhirContext FHIR = FhirContext.forR4Cached();
    protected static final String JSON = "application/fhir+json";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    protected HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(fhirBase() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(fhirBase() + pathAndQuery)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return contentType.contains("xml")
                ? FHIR.newXmlParser().parseResource(type, response.body())
                : FHIR.newJsonParser().parseResource(type, response.body());
    }

    /** Asserts the response is an OperationOutcome with the status given, and returns it. */
    protected static OperationOutcome outcome(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = parse(OperationOutcome.class, response);
        assertThat(outcome.getIssue()).isNotEmpty();
        return outcome;
    }
}
