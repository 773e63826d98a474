package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.twitchtriage.fhir.internal.FhirServerProperties;

/**
 * Stateless offset paging for searches: pages are fetched by {@code _offset} and {@code _count}, so
 * next links work on any instance of the module behind a load balancer.
 */
public final class Paging {

    private final int defaultPageSize;
    private final int maxPageSize;

    public Paging(FhirServerProperties properties) {
        this.defaultPageSize = properties.defaultPageSize();
        this.maxPageSize = properties.maxPageSize();
    }

    /** The page a search asks for, with {@code _count} capped at the configured maximum. */
    public Page request(Integer offset, Integer count) {
        if (offset != null && offset < 0) {
            throw new InvalidRequestException("_offset must not be negative");
        }
        if (count != null && count < 0) {
            throw new InvalidRequestException("_count must not be negative");
        }
        int size = count == null ? defaultPageSize : Math.min(count, maxPageSize);
        return new Page(offset == null ? 0 : offset, size);
    }

    /** A page cut from results already in memory. */
    public IBundleProvider inMemory(List<? extends IBaseResource> all, Integer offset, Integer count) {
        Page page = request(offset, count);
        return page.of(
                all.size(),
                p -> all.subList(Math.min(p.offset(), all.size()), Math.min(p.offset() + p.size(), all.size())));
    }

    /** Offset and size of one page of search results. */
    public record Page(int offset, int size) {

        /** Builds the bundle provider HAPI turns into a searchset with self, next and previous links. */
        public IBundleProvider of(int total, Function<Page, List<? extends IBaseResource>> fetch) {
            List<? extends IBaseResource> resources = size == 0 || offset >= total ? List.of() : fetch.apply(this);
            SimpleBundleProvider provider = new SimpleBundleProvider(List.copyOf(resources));
            provider.setSize(total);
            provider.setCurrentPageOffset(offset);
            provider.setCurrentPageSize(size);
            return provider;
        }
    }
}
