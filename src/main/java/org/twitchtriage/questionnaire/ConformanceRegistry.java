package org.twitchtriage.questionnaire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.MetadataResource;
import org.twitchtriage.fhir.FhirIds;

/**
 * The published definitional resources, immutable once loaded. Lookups by id and by canonical
 * {@code url} or {@code url|version}; a bare url resolves to the highest published version.
 */
public final class ConformanceRegistry {

    private final Map<String, MetadataResource> byTypeAndId;
    private final Map<String, MetadataResource> byTypeAndCanonical;
    private final Map<String, List<MetadataResource>> byTypeAndUrl;

    public ConformanceRegistry(List<? extends MetadataResource> resources) {
        Map<String, MetadataResource> ids = new LinkedHashMap<>();
        Map<String, MetadataResource> canonicals = new HashMap<>();
        Map<String, List<MetadataResource>> urls = new HashMap<>();
        for (MetadataResource resource : resources) {
            String type = resource.fhirType();
            String id = resource.getIdElement().getIdPart();
            if (id == null || resource.getUrl() == null || resource.getVersion() == null) {
                throw new InvalidContentException(type + " '" + id + "' needs an id, a url and a version");
            }
            if (ids.putIfAbsent(FhirIds.reference(type, id), resource) != null) {
                throw new InvalidContentException("two " + type + " resources have the id '" + id + "'");
            }
            String canonical = resource.getUrl() + "|" + resource.getVersion();
            if (canonicals.putIfAbsent(type + " " + canonical, resource) != null) {
                throw new InvalidContentException("two " + type + " resources have the canonical " + canonical);
            }
            urls.computeIfAbsent(type + " " + resource.getUrl(), k -> new ArrayList<>())
                    .add(resource);
        }
        urls.values()
                .forEach(list -> list.sort(Comparator.comparing(MetadataResource::getVersion, Versions.ORDER)
                        .reversed()));
        this.byTypeAndId = Collections.unmodifiableMap(ids);
        this.byTypeAndCanonical = canonicals;
        this.byTypeAndUrl = urls;
    }

    public <T extends MetadataResource> Optional<T> byId(Class<T> type, String id) {
        return Optional.ofNullable(byTypeAndId.get(FhirIds.reference(typeName(type), id)))
                .map(type::cast);
    }

    /** Resolves {@code url} (highest version) or {@code url|version}. */
    public <T extends MetadataResource> Optional<T> byCanonical(Class<T> type, String canonical) {
        if (canonical == null || canonical.isBlank()) {
            return Optional.empty();
        }
        int bar = canonical.indexOf('|');
        if (bar >= 0) {
            return Optional.ofNullable(byTypeAndCanonical.get(typeName(type) + " " + canonical))
                    .map(type::cast);
        }
        List<MetadataResource> versions = byTypeAndUrl.getOrDefault(typeName(type) + " " + canonical, List.of());
        return versions.stream().findFirst().map(type::cast);
    }

    public <T extends MetadataResource> List<T> all(Class<T> type) {
        String name = typeName(type);
        return byTypeAndId.values().stream()
                .filter(r -> r.fhirType().equals(name))
                .map(type::cast)
                .toList();
    }

    public List<MetadataResource> all() {
        return List.copyOf(byTypeAndId.values());
    }

    private static String typeName(Class<? extends MetadataResource> type) {
        return type.getSimpleName();
    }
}
