package org.twitchtriage.questionnaire.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.Versions;

/**
 * Read-only access to one type of published definitional resource: read by id; search by url, version, name, status.
 */
public final class ConformanceResourceProvider<T extends MetadataResource> implements IResourceProvider {

    private final Class<T> type;
    private final ConformanceRegistry registry;
    private final Paging paging;

    public ConformanceResourceProvider(Class<T> type, ConformanceRegistry registry, Paging paging) {
        this.type = type;
        this.registry = registry;
        this.paging = paging;
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    @Read
    public IBaseResource read(@IdParam IdType id) {
        return registry.byId(type, id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException(id.withResourceType(type.getSimpleName())));
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = "url") UriParam url,
            @OptionalParam(name = "version") TokenParam version,
            @OptionalParam(name = "name") StringParam name,
            @OptionalParam(name = "status") TokenParam status,
            @Offset Integer offset,
            @Count Integer count) {
        Predicate<T> matches = r -> true;
        if (url != null) {
            matches = matches.and(r -> url.getValue().equals(r.getUrl()));
        }
        if (version != null) {
            matches = matches.and(r -> version.getValue().equals(r.getVersion()));
        }
        if (name != null) {
            matches = matches.and(r -> nameMatches(name, r.getName()));
        }
        if (status != null) {
            matches = matches.and(r -> r.getStatus() != null
                    && status.getValue().equals(r.getStatus().toCode()));
        }
        List<T> found = registry.all(type).stream()
                .filter(matches)
                .sorted(Comparator.comparing(MetadataResource::getUrl)
                        .thenComparing(MetadataResource::getVersion, Versions.ORDER.reversed()))
                .toList();
        return paging.inMemory(found, offset, count);
    }

    private static boolean nameMatches(StringParam param, String name) {
        if (name == null) {
            return false;
        }
        if (param.isExact()) {
            return name.equals(param.getValue());
        }
        String wanted = param.getValue().toLowerCase(Locale.ROOT);
        String actual = name.toLowerCase(Locale.ROOT);
        return param.isContains() ? actual.contains(wanted) : actual.startsWith(wanted);
    }
}
