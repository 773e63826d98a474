package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Requests to the {@code /fhir} base of a running instance, whichever way the test started it: the
 * integration tests share these rather than each keeping its own.
 */
public final class FhirRequests {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    public static final String JSON = "application/fhir+json";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FhirRequests() {}

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

    /** @param headers names and values, alternating */
    public static HttpResponse<String> post(
            String base, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(withHeaders(request, headers).build());
    }

    /** @param headers names and values, alternating */
    public static HttpResponse<String> put(
            String base, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(withHeaders(request, headers).build());
    }

    /** @param headers names and values, alternating */
    public static HttpResponse<String> get(String base, String pathAndQuery, String... headers) {
        return send(withHeaders(
                        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), headers)
                .build());
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    public static String json(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    /** The body as a resource, in the format the response's Content-Type names. */
    public static <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return contentType.contains("xml")
                ? FHIR.newXmlParser().parseResource(type, response.body())
                : FHIR.newJsonParser().parseResource(type, response.body());
    }

    /** Submits the response, which must be accepted as new, and returns the id it was stored under. */
    public static String submit(String base, QuestionnaireResponse response) {
        HttpResponse<String> created = post(base, "/QuestionnaireResponse", JSON, json(response));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return parse(QuestionnaireResponse.class, created).getIdPart();
    }

    /** What {@code $delivery-status} answers for the submission. */
    public static Parameters deliveryStatus(String base, String id) {
        HttpResponse<String> response = get(base, "/QuestionnaireResponse/" + id + "/$delivery-status");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Parameters.class, response);
    }

    /** The submission's delivery status: pending, delivered or failed. */
    public static String status(String base, String id) {
        return status(deliveryStatus(base, id));
    }

    /** The status part of a {@code $delivery-status} answer: pending, delivered or failed. */
    public static String status(Parameters deliveryStatus) {
        return deliveryStatus.getParameter().stream()
                .filter(p -> p.getName().equals("status"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .primitiveValue();
    }

    /** Waits until the submission's delivery has the status wanted, and returns that answer. */
    public static Parameters awaitStatus(String base, String id, String wanted) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> deliveryStatus(base, id), p -> wanted.equals(status(p)));
    }
}
