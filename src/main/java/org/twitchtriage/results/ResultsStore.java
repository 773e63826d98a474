package org.twitchtriage.results;

import ca.uhn.fhir.context.FhirContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.results.internal.ResourceColumns;
import org.twitchtriage.results.internal.ResultsCriteria;
import org.twitchtriage.results.internal.StoredResource;
import org.twitchtriage.results.internal.StoredResourceRepository;
import org.twitchtriage.triage.TriageResources;

/**
 * Stores the resources of a triage and answers reads and searches over them. {@link #store} joins the
 * caller's transaction, so a submission and its results are written together or not at all.
 */
@Component
public class ResultsStore {

    private final StoredResourceRepository repository;
    private final EntityManager entityManager;
    private final FhirContext fhirContext;
    private final TransactionTemplate ownTransaction;
    /** Shared resources known to be stored: rows are never deleted, so this saves a query per submission. */
    private final Set<String> knownShared = ConcurrentHashMap.newKeySet();

    ResultsStore(
            StoredResourceRepository repository,
            EntityManager entityManager,
            FhirContext fhirContext,
            PlatformTransactionManager transactions) {
        this.repository = repository;
        this.entityManager = entityManager;
        this.fhirContext = fhirContext;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Stores what one submission's triage wrote, in the caller's transaction; see {@link #ensureShared}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void store(String submissionId, TriageResources resources, Instant now) {
        List<StoredResource> rows = new ArrayList<>();
        for (Resource resource : resources.all()) {
            if (resource != resources.device()) {
                rows.add(row(resource, submissionId, Origin.TRIAGE, now));
            }
        }
        repository.saveAll(rows);
    }

    /**
     * Stores the module's Device, which every submission's results share, unless it is already there.
     * Called before the submission's own transaction and committed on its own, so submissions racing to
     * create it do not fail: the losers find it stored.
     */
    public void ensureShared(TriageResources resources, Instant now) {
        Resource device = resources.device();
        String key = device.fhirType() + "/" + device.getIdElement().getIdPart();
        if (knownShared.contains(key)) {
            return;
        }
        if (!repository.existsById(key)) {
            try {
                ownTransaction.executeWithoutResult(
                        status -> repository.insertShared(row(device, null, Origin.TRIAGE, now)));
            } catch (DataIntegrityViolationException alreadyStored) {
                // Another submission stored it first, on a database that reports the duplicate.
            }
        }
        knownShared.add(key);
    }

    /**
     * Stores resources written after a submission's triage (a review Task, approved orders), in the caller's
     * transaction. Their ids must be new: storing one twice fails, which callers avoid by looking first.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void storeLater(String submissionId, Origin origin, List<? extends Resource> resources, Instant now) {
        List<StoredResource> rows = new ArrayList<>();
        for (Resource resource : resources) {
            rows.add(row(resource, submissionId, origin, now));
        }
        repository.saveAllAndFlush(rows);
    }

    private StoredResource row(Resource resource, String submissionId, Origin origin, Instant now) {
        Resource stored = resource.copy();
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        return new StoredResource(
                ResourceColumns.of(resource),
                submissionId,
                origin,
                now,
                fhirContext.newJsonParser().encodeResourceToString(stored));
    }

    @Transactional(readOnly = true)
    public Optional<Resource> read(String resourceType, String id) {
        return repository.findById(resourceType + "/" + id).map(this::parse);
    }

    /** What one submission's triage wrote, the shared Device aside. */
    @Transactional(readOnly = true)
    public List<Resource> forSubmission(String submissionId) {
        return forSubmission(submissionId, Origin.TRIAGE);
    }

    /** What was written for one submission by the given origin. */
    @Transactional(readOnly = true)
    public List<Resource> forSubmission(String submissionId, Origin origin) {
        return repository.findBySubmission(submissionId, origin.code()).stream()
                .map(this::parse)
                .toList();
    }

    /** Everything written for the given submissions, whatever wrote it, by submission id. */
    @Transactional(readOnly = true)
    public Map<String, List<Resource>> forSubmissions(Collection<String> submissionIds) {
        Map<String, List<Resource>> found = new LinkedHashMap<>();
        submissionIds.forEach(id -> found.put(id, new ArrayList<>()));
        if (!submissionIds.isEmpty()) {
            repository
                    .findBySubmissions(submissionIds)
                    .forEach(row -> found.get(row.submissionId()).add(parse(row)));
        }
        return found;
    }

    /** The submission the stored resource was written for. */
    @Transactional(readOnly = true)
    public Optional<String> submissionOf(String resourceType, String id) {
        return repository.findById(resourceType + "/" + id).map(StoredResource::submissionId);
    }

    @Transactional(readOnly = true)
    public List<Resource> find(ResultsCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<StoredResource> query = cb.createQuery(StoredResource.class);
        Root<StoredResource> root = query.from(StoredResource.class);
        query.where(predicates(cb, root, criteria)).orderBy(cb.desc(root.get("lastUpdated")), cb.asc(root.get("key")));
        return entityManager.createQuery(query).setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                .map(this::parse)
                .toList();
    }

    @Transactional(readOnly = true)
    public int count(ResultsCriteria criteria) {
        if (criteria.matchesNothing()) {
            return 0;
        }
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<StoredResource> root = query.from(StoredResource.class);
        query.select(cb.count(root)).where(predicates(cb, root, criteria));
        return Math.toIntExact(entityManager.createQuery(query).getSingleResult());
    }

    private static Predicate[] predicates(CriteriaBuilder cb, Root<StoredResource> root, ResultsCriteria c) {
        List<Predicate> where = new ArrayList<>();
        where.add(cb.equal(root.get("resourceType"), c.resourceType()));
        equal(cb, root, where, "subjectId", c.subjectId());
        equal(cb, root, where, "codeSystem", c.codeSystem());
        equal(cb, root, where, "codeValue", c.codeValue());
        equal(cb, root, where, "valueSystem", c.valueSystem());
        equal(cb, root, where, "valueCode", c.valueCode());
        equal(cb, root, where, "priority", c.priority());
        equal(cb, root, where, "status", c.status());
        equal(cb, root, where, "requisition", c.requisition());
        equal(cb, root, where, "submissionId", c.submissionId());
        if (c.recordedFrom() != null) {
            where.add(cb.greaterThanOrEqualTo(root.get("recorded"), c.recordedFrom()));
        }
        if (c.recordedTo() != null) {
            where.add(cb.lessThanOrEqualTo(root.get("recorded"), c.recordedTo()));
        }
        return where.toArray(Predicate[]::new);
    }

    private static void equal(
            CriteriaBuilder cb, Root<StoredResource> root, List<Predicate> where, String field, String value) {
        if (value != null) {
            where.add(cb.equal(root.get(field), value));
        }
    }

    private Resource parse(StoredResource row) {
        Resource resource = (Resource) fhirContext.newJsonParser().parseResource(row.resourceJson());
        resource.setId(resource.getIdElement().withVersion("1"));
        return resource;
    }
}
