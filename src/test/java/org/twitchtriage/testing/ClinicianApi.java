package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The clinician pages' JSON API, as the pages call it, for tests. */
public final class ClinicianApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;

    public ClinicianApi(int port) {
        this.base = "http://localhost:" + port + "/clinician/api";
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return FhirRequests.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "application/json")
                .GET()
                .build());
    }

    public HttpResponse<String> post(String path) {
        return FhirRequests.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    public HttpResponse<String> post(String path, String json) {
        return FhirRequests.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** The body of a response with this status. */
    public static JsonNode body(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    public JsonNode results(String query) {
        return body(get("/results" + query), 200);
    }

    public JsonNode result(String submissionId) {
        return body(get("/results/" + submissionId), 200);
    }

    /** The submission ids of the worklist page, in order. */
    public List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        results(query)
                .get("rows")
                .forEach(row -> ids.add(row.get("submissionId").asText()));
        return ids;
    }

    public static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node ->
                texts.add(field == null ? node.asText() : node.get(field).asText()));
        return texts;
    }
}
