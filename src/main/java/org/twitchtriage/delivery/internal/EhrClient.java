package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.fhir.FhirIds;

/**
 * Sends a submission's resources to the EHR, as one transaction or as conditional creates one by one,
 * and classifies what came back: delivered (with the ids the EHR assigned), worth retrying, or refused.
 */
public final class EhrClient {

    private static final String FHIR_JSON = "application/fhir+json";

    private final EhrProperties properties;
    private final EhrAuthorization authorization;
    private final EhrBundles bundles;
    private final FhirContext fhirContext;
    private final HttpClient http;
    private final String base;

    EhrClient(EhrProperties properties, EhrAuthorization authorization, EhrBundles bundles, FhirContext fhirContext) {
        this.properties = properties;
        this.authorization = authorization;
        this.bundles = bundles;
        this.fhirContext = fhirContext;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String url = properties.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** What one attempt came to. */
    sealed interface Result {}

    /** @param ehrIds local reference (Type/id) to the EHR's reference */
    record Delivered(Map<String, String> ehrIds) implements Result {}

    record Retry(String error, Integer httpStatus, Duration retryAfter) implements Result {}

    record Refused(String error, int httpStatus, String outcome) implements Result {}

    Result send(String submissionId, List<Resource> resources) {
        List<EhrBundles.Entry> entries = bundles.entries(submissionId, resources);
        try {
            return properties.mode() == EhrProperties.Mode.TRANSACTION ? transaction(entries) : individually(entries);
        } catch (HttpTimeoutException e) {
            return new Retry("The EHR did not answer in time", null, null);
        } catch (SmartBackendTokenException e) {
            return new Retry("No access token for the EHR: " + e.getMessage(), null, null);
        } catch (IOException e) {
            return new Retry("Could not reach the EHR (" + e.getClass().getSimpleName() + ")", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retry("Delivery was interrupted", null, null);
        }
    }

    private Result transaction(List<EhrBundles.Entry> entries) throws IOException, InterruptedException {
        Bundle bundle = bundles.transaction(entries);
        HttpResponse<String> response = post(base, bundle);
        Optional<Result> problem = classify(response);
        if (problem.isPresent()) {
            return problem.get();
        }
        Map<String, String> ids = new LinkedHashMap<>();
        Bundle reply = parseBundle(response.body());
        for (int i = 0;
                i < entries.size() && reply != null && i < reply.getEntry().size();
                i++) {
            String location = reply.getEntry().get(i).getResponse().getLocation();
            if (location != null) {
                ids.put(entries.get(i).localReference(), unversioned(location));
            }
        }
        return new Delivered(ids);
    }

    /** For EHRs without transactions: in dependency order, rewriting references to the ids already assigned. */
    private Result individually(List<EhrBundles.Entry> entries) throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (EhrBundles.Entry entry : entries) {
            Resource resource = entry.resource().copy();
            bundles.rewrite(resource, ids);
            HttpResponse<String> response = send(
                    HttpRequest.newBuilder(URI.create(base + "/" + resource.fhirType()))
                            .header("If-None-Exist", entry.ifNoneExist()),
                    resource);
            Optional<Result> problem = classify(response);
            if (problem.isPresent()) {
                return problem.get();
            }
            String location = response.headers()
                    .firstValue("Location")
                    .or(() -> response.headers().firstValue("Content-Location"))
                    .orElseGet(() -> idFromBody(response.body()));
            if (location == null) {
                return new Retry(
                        "The EHR did not say where it created " + resource.fhirType(), response.statusCode(), null);
            }
            ids.put(entry.localReference(), unversioned(location));
        }
        return new Delivered(ids);
    }

    /**
     * What a read of one resource in the EHR found: its HTTP status, or the kind of failure when there was no
     * answer. Authorized like a delivery, so it sees what deliveries see.
     */
    record Lookup(Integer httpStatus, String failure) {

        boolean found() {
            return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
        }

        /** 404 or 410: the EHR answered, and has no such resource. */
        boolean absent() {
            return httpStatus != null && (httpStatus == 404 || httpStatus == 410);
        }
    }

    Lookup read(String reference, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + reference))
                .timeout(timeout)
                .header("Accept", FHIR_JSON)
                .GET();
        try {
            return new Lookup(
                    exchange(request, HttpResponse.BodyHandlers.discarding()).statusCode(), null);
        } catch (SmartBackendTokenException e) {
            return new Lookup(null, "no access token for the EHR");
        } catch (IOException e) {
            return new Lookup(null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup(null, "interrupted");
        }
    }

    private HttpResponse<String> post(String url, Resource resource) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)), resource);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Resource resource)
            throws IOException, InterruptedException {
        String body = fhirContext.newJsonParser().encodeResourceToString(resource);
        return exchange(
                request.copy()
                        .timeout(properties.requestTimeout())
                        .header("Content-Type", FHIR_JSON)
                        .header("Accept", FHIR_JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request authorized, and once more with a renewed credential when the EHR answers 401. */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        HttpResponse<T> response = http.send(authorized(request, false), body);
        if (response.statusCode() == 401 && authorization.canRenew()) {
            response = http.send(authorized(request, true), body);
        }
        return response;
    }

    private HttpRequest authorized(HttpRequest.Builder request, boolean renew)
            throws IOException, InterruptedException {
        HttpRequest.Builder copy = request.copy();
        authorization.header(renew).ifPresent(value -> copy.header("Authorization", value));
        return copy.build();
    }

    /**
     * Empty for success; otherwise whether to retry (408, 409, 429, 5xx) or give up (any other status).
     * 409 is retried because, for conditional creates, it means another request was creating the same
     * resource at the same moment (every delivery conditionally creates the module's Device).
     */
    private Optional<Result> classify(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Optional.empty();
        }
        if (status == 408 || status == 409 || status == 429 || status >= 500) {
            Duration retryAfter =
                    status == 429 || status == 503 ? retryAfter(response).orElse(null) : null;
            return Optional.of(new Retry("The EHR answered " + status, status, retryAfter));
        }
        return Optional.of(new Refused("The EHR refused the delivery with " + status, status, response.body()));
    }

    /** Retry-After as seconds or as an HTTP date. */
    private static Optional<Duration> retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    Duration wait = Duration.between(Instant.now(), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }

    private Bundle parseBundle(String body) {
        try {
            return fhirContext.newJsonParser().parseResource(Bundle.class, body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String idFromBody(String body) {
        try {
            Resource created = (Resource) fhirContext.newJsonParser().parseResource(body);
            return created.getIdElement().hasIdPart() ? FhirIds.reference(created) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "http://ehr/fhir/Observation/123/_history/1" or "Observation/123/_history/1" becomes "Observation/123". */
    private static String unversioned(String location) {
        IdType id = new IdType(location);
        return FhirIds.reference(id);
    }
}
