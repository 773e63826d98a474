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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
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

    EhrBundles bundles() {
        return bundles;
    }

    /** What one attempt came to. */
    sealed interface Result {}

    /** @param written what the EHR made of each resource sent, in the order sent */
    record Delivered(List<Delivery.EhrId> written) implements Result {

        Delivered {
            written = List.copyOf(written);
        }

        /** Local reference (Type/id) to the EHR's reference. */
        Map<String, String> ehrIds() {
            Map<String, String> ids = new LinkedHashMap<>();
            written.forEach(id -> ids.put(id.local(), id.ehr()));
            return ids;
        }
    }

    /** @param resource the module's resource ({@code Type/id}) the EHR would not take, when one request failed */
    record Retry(String error, Integer httpStatus, Duration retryAfter, String resource) implements Result {

        Retry(String error, Integer httpStatus, Duration retryAfter) {
            this(error, httpStatus, retryAfter, null);
        }

        Retry about(String local) {
            return new Retry(error, httpStatus, retryAfter, local);
        }
    }

    /** @param resource the module's resource ({@code Type/id}) the EHR refused, when one request failed */
    record Refused(String error, int httpStatus, String outcome, String resource) implements Result {

        Refused(String error, int httpStatus, String outcome) {
            this(error, httpStatus, outcome, null);
        }

        Refused about(String local) {
            return new Refused(error, httpStatus, outcome, local);
        }
    }

    /** As the configured mode says: one request at a time in {@code individual} mode, otherwise a transaction. */
    Result send(String submissionId, List<Resource> resources) {
        return send(
                bundles.entries(submissionId, resources), Map.of(), properties.mode() != EhrProperties.Mode.INDIVIDUAL);
    }

    /**
     * Sends the entries: conditional creates and conditional updates.
     *
     * @param known local reference to the EHR's reference, for the module's resources the entries reference that
     *     are already in the EHR and not sent again
     */
    Result send(List<EhrBundles.Entry> entries, Map<String, String> known, boolean transaction) {
        if (entries.isEmpty()) {
            return new Delivered(List.of());
        }
        try {
            return transaction ? transaction(entries, known) : individually(entries, known);
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

    private Result transaction(List<EhrBundles.Entry> entries, Map<String, String> known)
            throws IOException, InterruptedException {
        Bundle bundle = bundles.transaction(entries, known);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base)), "POST", bundle);
        Optional<Result> problem = classify(response);
        if (problem.isPresent()) {
            return problem.get();
        }
        List<Delivery.EhrId> written = new ArrayList<>();
        Bundle reply = parseBundle(response.body());
        for (int i = 0;
                i < entries.size() && reply != null && i < reply.getEntry().size();
                i++) {
            Bundle.BundleEntryResponseComponent answer = reply.getEntry().get(i).getResponse();
            String location = answer.getLocation();
            if (location != null) {
                EhrBundles.Entry entry = entries.get(i);
                String version = version(answer.getEtag()).orElseGet(() -> versionOf(location));
                boolean wrote = entry.action() == EhrBundles.Action.UPDATE
                        || entry.action() == EhrBundles.Action.PUT
                        || answer.getStatus() == null
                        || answer.getStatus().startsWith("201");
                written.add(new Delivery.EhrId(
                        entry.localReference(), unversioned(location), version, wrote ? entry.localVersion() : null));
            }
        }
        return new Delivered(written);
    }

    /** For EHRs without transactions: in dependency order, rewriting references to the ids already assigned. */
    private Result individually(List<EhrBundles.Entry> entries, Map<String, String> known)
            throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>(known);
        List<Delivery.EhrId> written = new ArrayList<>();
        for (EhrBundles.Entry entry : entries) {
            Resource resource = EhrBundles.written(entry, entry.resource().copy());
            bundles.rewrite(resource, ids);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + entry.url()));
            if (entry.action() == EhrBundles.Action.CREATE) {
                request.header("If-None-Exist", entry.ifNoneExist());
            } else if (entry.ifMatch() != null) {
                request.header("If-Match", entry.ifMatch());
            }
            boolean post = entry.action() == EhrBundles.Action.CREATE || entry.action() == EhrBundles.Action.POST;
            HttpResponse<String> response = send(request, post ? "POST" : "PUT", resource);
            Optional<Result> problem = classify(response);
            if (problem.isPresent()) {
                return about(problem.get(), entry.localReference());
            }
            Optional<Resource> body = parse(response.body());
            String location = response.headers()
                    .firstValue("Location")
                    .or(() -> response.headers().firstValue("Content-Location"))
                    .orElseGet(() -> body.filter(r -> r.getIdElement().hasIdPart())
                            .map(FhirIds::reference)
                            .orElse(null));
            if (location == null) {
                return new Retry(
                        "The EHR did not say where it wrote " + resource.fhirType(), response.statusCode(), null);
            }
            String version = version(response.headers().firstValue("ETag").orElse(null))
                    .or(() -> Optional.ofNullable(versionOf(location)))
                    .orElseGet(() -> body.map(r -> r.getMeta().getVersionId()).orElse(null));
            boolean wrote = !post || response.statusCode() == 201;
            ids.put(entry.localReference(), unversioned(location));
            written.add(new Delivery.EhrId(
                    entry.localReference(), unversioned(location), version, wrote ? entry.localVersion() : null));
        }
        return new Delivered(written);
    }

    private static Result about(Result problem, String local) {
        if (problem instanceof Retry retry) {
            return retry.about(local);
        }
        return problem instanceof Refused refused ? refused.about(local) : problem;
    }

    /**
     * What a search of the EHR found: the resources that match, or what came of asking when it could not say.
     */
    record Search(List<Resource> matches, Result problem) {}

    /** Searches one type, {@code GET Type?condition}, fresh (no cached search result). */
    Search search(String type, String condition) {
        return lookup("search", base + "/" + type + "?" + condition, response -> {
            Optional<Result> problem = classify(response);
            if (problem.isPresent()) {
                return new Search(List.of(), problem.get());
            }
            Bundle found = parseBundle(response.body());
            if (found == null) {
                return new Search(List.of(), new Retry("The EHR's answer to a search was not a Bundle", null, null));
            }
            List<Resource> matches = found.getEntry().stream()
                    .filter(e -> !e.getSearch().hasMode() || e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r != null && type.equals(r.fhirType()))
                    .toList();
            return new Search(matches, null);
        });
    }

    /** Reads one resource, {@code GET Type/id}: a search of one, or of none when the EHR has no such resource. */
    Search fetch(String reference) {
        return lookup("read", base + "/" + reference, response -> {
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                return new Search(List.of(), null);
            }
            Optional<Result> problem = classify(response);
            if (problem.isPresent()) {
                return new Search(List.of(), problem.get());
            }
            return parse(response.body())
                    .map(found -> new Search(List.of(found), null))
                    .orElseGet(() ->
                            new Search(List.of(), new Retry("The EHR's answer to a read was no resource", null, null)));
        });
    }

    /**
     * A fresh {@code GET} (no cached answer) whose answer {@code read} makes a {@link Search} of; a failure to ask
     * is a search that found nothing and is to be retried.
     *
     * @param what the kind of request, for the reason given on failure: {@code search} or {@code read}
     */
    private Search lookup(String what, String url, Function<HttpResponse<String>, Search> read) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(properties.requestTimeout())
                .header("Accept", FHIR_JSON)
                .header("Cache-Control", "no-cache")
                .GET();
        try {
            return read.apply(exchange(request, HttpResponse.BodyHandlers.ofString()));
        } catch (HttpTimeoutException e) {
            return new Search(List.of(), new Retry("The EHR did not answer a " + what + " in time", null, null));
        } catch (SmartBackendTokenException e) {
            return new Search(List.of(), new Retry("No access token for the EHR: " + e.getMessage(), null, null));
        } catch (IOException e) {
            return new Search(
                    List.of(),
                    new Retry("Could not reach the EHR (" + e.getClass().getSimpleName() + ")", null, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Search(List.of(), new Retry("Delivery was interrupted", null, null));
        }
    }

    /**
     * What reading the EHR's CapabilityStatement found: the statement, or why there is none ({@code problem}: an
     * HTTP status, the kind of failure, or an answer that is no CapabilityStatement).
     */
    record Statement(CapabilityStatement statement, String problem) {}

    /**
     * Reads {@code GET [base]/metadata}. Without credentials, as the health probe: FHIR servers serve their
     * CapabilityStatement to anyone, and reading it must not depend on a token.
     */
    Statement capabilities(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metadata"))
                .timeout(timeout)
                .header("Accept", FHIR_JSON)
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                return new Statement(null, "HTTP " + response.statusCode());
            }
            return parse(response.body())
                    .filter(CapabilityStatement.class::isInstance)
                    .map(found -> new Statement((CapabilityStatement) found, null))
                    .orElseGet(() -> new Statement(null, "the answer is no CapabilityStatement"));
        } catch (IOException e) {
            return new Statement(null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Statement(null, "interrupted");
        }
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

    private HttpResponse<String> send(HttpRequest.Builder request, String method, Resource resource)
            throws IOException, InterruptedException {
        String body = fhirContext.newJsonParser().encodeResourceToString(resource);
        return exchange(
                request.copy()
                        .timeout(properties.requestTimeout())
                        .header("Content-Type", FHIR_JSON)
                        .header("Accept", FHIR_JSON)
                        .method(method, HttpRequest.BodyPublishers.ofString(body)),
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
     * Empty for success; otherwise whether to retry (408, 409, 412, 429, 5xx) or give up (any other status).
     * 409 is retried because, for conditional creates, it means another request was creating the same
     * resource at the same moment (every delivery conditionally creates the module's Device); for an update it
     * means, like 412, that the resource changed in the EHR since it was read: the next attempt reads it again.
     */
    private Optional<Result> classify(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Optional.empty();
        }
        if (status == 412) {
            return Optional.of(new Retry(
                    "The EHR answered 412: a resource changed there since it was read; it is read again before the"
                            + " next attempt",
                    status,
                    null));
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

    private Optional<Resource> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of((Resource) fhirContext.newJsonParser().parseResource(body));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The version an ETag names: {@code W/"3"} is 3. */
    static Optional<String> version(String etag) {
        if (etag == null || etag.isBlank()) {
            return Optional.empty();
        }
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The version a location names ({@code Observation/123/_history/3} is 3); null when it names none. */
    private static String versionOf(String location) {
        IdType id = new IdType(location);
        return id.hasVersionIdPart() ? id.getVersionIdPart() : null;
    }

    /** "http://ehr/fhir/Observation/123/_history/1" or "Observation/123/_history/1" becomes "Observation/123". */
    private static String unversioned(String location) {
        IdType id = new IdType(location);
        return FhirIds.reference(id);
    }
}
