package org.twitchtriage.delivery;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A small FHIR store behind the WireMock EHR: transactions of conditional creates and conditional updates,
 * {@code If-Match} on versions (412 when stale), searches by identifier or tag, and the same one request at a time.
 * Enough for deliveries to meet an EHR that remembers what they wrote and where others changed it.
 */
final class EhrStore implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fhir-store";

    /** Type/id to the versions of the resource, oldest first. */
    private final Map<String, List<Resource>> resources = new LinkedHashMap<>();

    private int next;
    /** Answers still to be lost after the EHR applied what it was sent. */
    private int lostAnswers;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    synchronized void clear() {
        resources.clear();
        lostAnswers = 0;
    }

    /** The next {@code count} writes are applied, but the module gets no answer (the connection drops). */
    synchronized void loseAnswers(int count) {
        lostAnswers = count;
    }

    /** The current versions of every resource of one type. */
    synchronized List<Resource> all(String type) {
        return resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith(type + "/"))
                .map(e -> current(e.getValue()).copy())
                .toList();
    }

    /** The current versions of the resources of a type with an identifier of this value. */
    synchronized List<Resource> withIdentifier(String type, String value) {
        return all(type).stream()
                .filter(r -> identifiers(r).stream().anyMatch(i -> value.equals(i.getValue())))
                .toList();
    }

    /** Someone at the EHR changes a resource: a new version of it. */
    synchronized void change(String reference, Consumer<Resource> change) {
        Resource changed = current(resources.get(reference)).copy();
        change.accept(changed);
        store(reference, changed);
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String path = request.getUrl();
        String method = request.getMethod().getName();
        Answer answer;
        try {
            if ("GET".equals(method) && isRead(path.substring("/fhir/".length()))) {
                answer = answerRead(path.substring("/fhir/".length()));
            } else if ("GET".equals(method)) {
                answer = search(path.substring("/fhir/".length()));
            } else if ("/fhir".equals(path) && "POST".equals(method)) {
                answer = transaction(
                        EhrStub.FHIR.newJsonParser().parseResource(Bundle.class, request.getBodyAsString()));
            } else {
                Resource body = (Resource) EhrStub.FHIR.newJsonParser().parseResource(request.getBodyAsString());
                String url = path.substring("/fhir/".length());
                Map<String, Resource> snapshot = snapshot();
                Written written = "PUT".equals(method)
                        ? update(url, body, request.getHeader("If-Match"), body.fhirType() + "/ehr-" + ++next)
                        : create(body, request.getHeader("If-None-Exist"));
                if (written.status() >= 400) {
                    restore(snapshot);
                    answer = new Answer(written.status(), null, Map.of());
                } else {
                    answer = new Answer(
                            written.status(),
                            EhrStub.FHIR.newJsonParser().encodeResourceToString(written.resource()),
                            Map.of(
                                    "Location",
                                    EhrStub.baseUrl() + "/" + written.location(),
                                    "ETag",
                                    "W/\"" + written.resource().getMeta().getVersionId() + "\""));
                }
            }
        } catch (RuntimeException e) {
            answer = new Answer(400, null, Map.of());
        }
        ResponseDefinitionBuilder response = ResponseDefinitionBuilder.like(event.getResponseDefinition())
                .withStatus(answer.status())
                .withHeader("Content-Type", "application/fhir+json");
        answer.headers().forEach(response::withHeader);
        if (answer.body() != null) {
            response.withBody(answer.body());
        }
        if (!"GET".equals(method) && answer.status() < 300 && lostAnswers > 0) {
            lostAnswers--;
            response.withFault(Fault.CONNECTION_RESET_BY_PEER);
        }
        return response.build();
    }

    private record Answer(int status, String body, Map<String, String> headers) {}

    private record Written(int status, String location, Resource resource) {}

    /** {@code Type/id}: a read, not a search. */
    private static boolean isRead(String path) {
        return !path.contains("?") && path.contains("/");
    }

    private Answer answerRead(String reference) {
        List<Resource> versions = resources.get(reference);
        if (versions == null) {
            return new Answer(404, null, Map.of());
        }
        Resource resource = current(versions);
        return new Answer(
                200,
                EhrStub.FHIR.newJsonParser().encodeResourceToString(resource),
                Map.of("ETag", "W/\"" + resource.getMeta().getVersionId() + "\""));
    }

    private Answer search(String query) {
        String type = query.contains("?") ? query.substring(0, query.indexOf('?')) : query;
        String condition = query.contains("?") ? query.substring(query.indexOf('?') + 1) : "";
        Bundle found = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        matches(type, condition)
                .forEach(r -> found.addEntry()
                        .setFullUrl(EhrStub.baseUrl() + "/"
                                + r.getIdElement().toUnqualifiedVersionless().getValue())
                        .setResource(r)
                        .getSearch()
                        .setMode(Bundle.SearchEntryMode.MATCH));
        found.setTotal(found.getEntry().size());
        return new Answer(200, EhrStub.FHIR.newJsonParser().encodeResourceToString(found), Map.of());
    }

    private Answer transaction(Bundle request) {
        Map<String, Resource> snapshot = snapshot();
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        Map<String, String> assigned = new HashMap<>();
        List<Written> results = new ArrayList<>();
        // Ids first, so that entries may reference entries after them.
        for (Bundle.BundleEntryComponent entry : request.getEntry()) {
            Resource resource = entry.getResource();
            String url = entry.getRequest().getUrl();
            List<Resource> matching = entry.getRequest().getMethod() == Bundle.HTTPVerb.POST
                    ? matches(resource.fhirType(), entry.getRequest().getIfNoneExist())
                    : url.contains("?") ? matches(resource.fhirType(), url.substring(url.indexOf('?') + 1)) : List.of();
            String id = !url.contains("?") && entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT
                    ? url
                    : matching.size() == 1
                            ? matching.get(0)
                                    .getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue()
                            : resource.fhirType() + "/ehr-" + ++next;
            assigned.put(entry.getFullUrl(), id);
        }
        for (Bundle.BundleEntryComponent entry : request.getEntry()) {
            Resource resource = entry.getResource().copy();
            for (Reference reference :
                    EhrStub.FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = assigned.get(reference.getReference());
                if (target != null) {
                    reference.setReference(target);
                }
            }
            Written written = entry.getRequest().getMethod() == Bundle.HTTPVerb.POST
                    ? create(resource, entry.getRequest().getIfNoneExist(), assigned.get(entry.getFullUrl()))
                    : update(
                            entry.getRequest().getUrl(),
                            resource,
                            entry.getRequest().getIfMatch(),
                            assigned.get(entry.getFullUrl()));
            if (written.status() >= 400) {
                restore(snapshot);
                return new Answer(written.status(), null, Map.of());
            }
            results.add(written);
        }
        for (Written written : results) {
            response.addEntry()
                    .getResponse()
                    .setStatus(written.status() == 201 ? "201 Created" : "200 OK")
                    .setLocation(written.location())
                    .setEtag("W/\"" + written.resource().getMeta().getVersionId() + "\"");
        }
        return new Answer(200, EhrStub.FHIR.newJsonParser().encodeResourceToString(response), Map.of());
    }

    private Written create(Resource resource, String ifNoneExist) {
        return create(resource, ifNoneExist, resource.fhirType() + "/ehr-" + ++next);
    }

    private Written create(Resource resource, String ifNoneExist, String id) {
        List<Resource> matching = ifNoneExist == null ? List.of() : matches(resource.fhirType(), ifNoneExist);
        if (matching.size() > 1) {
            return new Written(412, null, null);
        }
        if (matching.size() == 1) {
            Resource found = matching.get(0);
            return new Written(200, found.getIdElement().getValue(), found);
        }
        Resource stored = store(id, resource);
        return new Written(201, stored.getIdElement().getValue(), stored);
    }

    /**
     * A conditional update {@code Type?condition}, or an update by id {@code Type/id} (creating it at that id when
     * there is none), on the version If-Match names when it names one.
     */
    private Written update(String url, Resource resource, String ifMatch, String newId) {
        if (!url.contains("?")) {
            List<Resource> versions = resources.get(url);
            if (!url.equals(resource.fhirType() + "/" + resource.getIdElement().getIdPart())) {
                return new Written(400, null, null); // the body must carry the id it is written at
            }
            if (versions == null) {
                if (ifMatch != null) {
                    return new Written(412, null, null);
                }
                Resource stored = store(url, resource);
                return new Written(201, stored.getIdElement().getValue(), stored);
            }
            Resource there = current(versions);
            if (ifMatch != null && !ifMatch.equals("W/\"" + there.getMeta().getVersionId() + "\"")) {
                return new Written(412, null, null);
            }
            Resource stored = same(there, resource) ? there : store(url, resource);
            return new Written(200, stored.getIdElement().getValue(), stored);
        }
        List<Resource> matching = matches(resource.fhirType(), url.substring(url.indexOf('?') + 1));
        if (matching.size() > 1) {
            return new Written(412, null, null);
        }
        if (matching.isEmpty()) {
            Resource stored = store(newId, resource);
            return new Written(201, stored.getIdElement().getValue(), stored);
        }
        Resource there = matching.get(0);
        String version = there.getMeta().getVersionId();
        if (ifMatch != null && !ifMatch.equals("W/\"" + version + "\"")) {
            return new Written(412, null, null);
        }
        String id = there.getIdElement().toUnqualifiedVersionless().getValue();
        Resource stored = same(there, resource) ? there : store(id, resource);
        return new Written(200, stored.getIdElement().getValue(), stored);
    }

    private Resource store(String id, Resource resource) {
        List<Resource> versions = resources.computeIfAbsent(id, key -> new ArrayList<>());
        Resource stored = resource.copy();
        String version = String.valueOf(versions.size() + 1);
        stored.setId(id + "/_history/" + version);
        stored.getMeta().setVersionId(version);
        versions.add(stored);
        return stored;
    }

    private List<Resource> matches(String type, String condition) {
        if (condition == null || condition.isBlank()) {
            return List.of();
        }
        String[] pair = condition.split("=", 2);
        String[] value = URLDecoder.decode(pair[1], StandardCharsets.UTF_8).split("\\|", 2);
        List<Resource> found = new ArrayList<>();
        for (Map.Entry<String, List<Resource>> entry : resources.entrySet()) {
            Resource resource = current(entry.getValue());
            if (!entry.getKey().startsWith(type + "/")) {
                continue;
            }
            boolean match = "_tag".equals(pair[0])
                    ? resource.getMeta().getTag().stream()
                            .anyMatch(t -> value[0].equals(t.getSystem()) && value[1].equals(t.getCode()))
                    : identifiers(resource).stream()
                            .anyMatch(i -> value[0].equals(i.getSystem()) && value[1].equals(i.getValue()));
            if (match) {
                found.add(resource.copy());
            }
        }
        return found;
    }

    private static List<Identifier> identifiers(Resource resource) {
        if (resource.fhirType().equals("Provenance")) {
            return List.of();
        }
        return EhrStub.FHIR.newTerser().getValues(resource, resource.fhirType() + ".identifier", Identifier.class);
    }

    /** An update that changes nothing makes no new version, as in HAPI FHIR. */
    private static boolean same(Resource there, Resource sent) {
        return content(there).equals(content(sent));
    }

    private static String content(Resource resource) {
        Resource copy = resource.copy();
        copy.setId((String) null);
        copy.setMeta(null);
        if (copy instanceof org.hl7.fhir.r4.model.DomainResource domain) {
            domain.setText(null);
        }
        return EhrStub.FHIR.newJsonParser().encodeResourceToString(copy);
    }

    private static Resource current(List<Resource> versions) {
        return versions.get(versions.size() - 1);
    }

    private Map<String, Resource> snapshot() {
        Map<String, Resource> counts = new LinkedHashMap<>();
        resources.forEach((id, versions) -> counts.put(id, current(versions)));
        return counts;
    }

    /** Undoes every write since the snapshot: a transaction is all or nothing. */
    private void restore(Map<String, Resource> snapshot) {
        resources.keySet().removeIf(id -> !snapshot.containsKey(id));
        resources.forEach((id, versions) -> {
            while (current(versions) != snapshot.get(id)) {
                versions.remove(versions.size() - 1);
            }
        });
    }

    Optional<Resource> read(String reference) {
        synchronized (this) {
            return Optional.ofNullable(resources.get(reference))
                    .map(v -> current(v).copy());
        }
    }
}
