package org.twitchtriage.results;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.fhir.ResourceJson;
import org.twitchtriage.results.internal.ResourceColumns;
import org.twitchtriage.results.internal.ResourceSearch;
import org.twitchtriage.results.internal.ResultsCriteria;
import org.twitchtriage.results.internal.StoredResource;
import org.twitchtriage.results.internal.StoredResourceRepository;
import org.twitchtriage.results.internal.TriageRows;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.triage.TriageResources;

/**
 * Stores the resources of a triage and answers reads and searches over them. {@link #store} joins the
 * caller's transaction, so a submission and its results are written together or not at all.
 */
@Component
public class ResultsStore {

    private final StoredResourceRepository repository;
    private final ResourceSearch search;
    private final FhirContext fhirContext;
    private final ResourceJson json;
    private final TriageRows inserts;
    private final TransactionTemplate ownTransaction;
    private final ApplicationEventPublisher events;
    /** Shared resources known to be stored: rows are never deleted, so this saves a query per submission. */
    private final Set<String> knownShared = ConcurrentHashMap.newKeySet();

    ResultsStore(
            StoredResourceRepository repository,
            ResourceSearch search,
            FhirContext fhirContext,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            TriageRows inserts) {
        this.inserts = inserts;
        this.repository = repository;
        this.search = search;
        this.fhirContext = fhirContext;
        this.json = new ResourceJson(fhirContext);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.events = events;
    }

    /**
     * Stores what one submission's triage wrote, in the caller's transaction, and tells so with
     * {@link TriageRecorded}; see {@link #ensureShared}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void store(String submissionId, TriageResources resources, Instant now) {
        List<TriageRows.Row> rows = new ArrayList<>();
        for (Resource resource : resources.all()) {
            if (resource != resources.device()) {
                firstVersion(resource, now);
                rows.add(new TriageRows.Row(ResourceColumns.of(resource), json.encode(resource)));
            }
        }
        inserts.insert(submissionId, Origin.TRIAGE, now, rows);
        ResourceColumns observation = ResourceColumns.of(resources.observation());
        events.publishEvent(new TriageRecorded(
                submissionId,
                observation.recorded(),
                observation.valueSystem(),
                observation.valueCode(),
                observation.subjectId()));
    }

    /**
     * Stores the module's Device, which every submission's results share, unless it is already there.
     * Called before the submission's own transaction and committed on its own, so submissions racing to
     * create it do not fail: the losers find it stored.
     */
    public void ensureShared(TriageResources resources, Instant now) {
        Resource device = resources.device();
        String key = FhirIds.reference(device);
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

    /**
     * Stores what a revision of a submission wrote ({@link org.twitchtriage.triage.TriageRevisions}), in the
     * caller's transaction: each resource at version 1 is new, any other replaces the current version, which is
     * kept as a version of its own. Tells so with {@link TriageRevised}.
     *
     * @param revision the version of the submission's response the revision follows from
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void revise(
            String submissionId, int revision, List<? extends Resource> written, boolean retracted, Instant now) {
        ResourceColumns before = null;
        ResourceColumns after = null;
        for (Resource resource : written) {
            String encoded = json.encode(resource);
            ResourceColumns columns = ResourceColumns.of(resource);
            int version = Integer.parseInt(resource.getMeta().getVersionId());
            String key = FhirIds.reference(resource);
            if (version == 1) {
                // Only triage writes new resources in a revision: new orders and the revision's Provenance.
                repository.save(new StoredResource(columns, submissionId, Origin.TRIAGE, revision, now, encoded));
            } else {
                StoredResource row =
                        repository.findById(key).orElseThrow(() -> new IllegalStateException(key + " is not stored"));
                if (resource instanceof Observation) {
                    before = ResourceColumns.of(parse(row));
                }
                repository.keepVersion(key, version - 1);
                row.replace(columns, version, revision, now, encoded);
            }
            if (resource instanceof Observation) {
                after = columns;
            }
        }
        repository.flush();
        if (after != null) {
            events.publishEvent(new TriageRevised(
                    submissionId,
                    revision,
                    after.recorded(),
                    after.valueSystem(),
                    after.valueCode(),
                    before == null ? null : before.valueSystem(),
                    before == null ? null : before.valueCode(),
                    retracted));
        }
    }

    /**
     * The current versions of what was written for a submission that a revision may change: its triage and the
     * orders approved from it, not review Tasks.
     */
    @Transactional(readOnly = true)
    public List<Resource> revisable(String submissionId) {
        return repository.findAllBySubmission(submissionId).stream()
                .filter(row -> row.origin() != Origin.REVIEW)
                .map(this::parse)
                .toList();
    }

    /**
     * What the revisions of a submission from {@code revision} on wrote, at their current versions: the resources
     * whose current version a revision numbered {@code revision} or later wrote (review Tasks aside).
     */
    @Transactional(readOnly = true)
    public List<Resource> changedSince(String submissionId, int revision) {
        return repository.findAllBySubmission(submissionId).stream()
                .filter(row -> row.origin() != Origin.REVIEW && row.revision() >= revision)
                .map(this::parse)
                .toList();
    }

    /** One version of a stored resource: the current one, or one it replaced. */
    @Transactional(readOnly = true)
    public Optional<Resource> read(String resourceType, String id, int version) {
        String key = FhirIds.reference(resourceType, id);
        return repository
                .findById(key)
                .flatMap(row -> row.versionId() == version
                        ? Optional.of(parse(row))
                        : repository.findVersion(key, version).stream()
                                .findFirst()
                                .map(StoredJson::text)
                                .map(this::parse));
    }

    /** Every version of a stored resource, newest first; empty for an unknown one. */
    @Transactional(readOnly = true)
    public List<Resource> history(String resourceType, String id) {
        String key = FhirIds.reference(resourceType, id);
        List<Resource> versions = new ArrayList<>();
        repository.findById(key).ifPresent(row -> {
            versions.add(parse(row));
            repository.findVersions(key).forEach(stored -> versions.add(parse(StoredJson.text(stored))));
        });
        return versions;
    }

    /** The first version of a resource: its meta says so, on the resource itself as in the stored JSON. */
    private StoredResource row(Resource resource, String submissionId, Origin origin, Instant now) {
        firstVersion(resource, now);
        return new StoredResource(ResourceColumns.of(resource), submissionId, origin, now, json.encode(resource));
    }

    private static void firstVersion(Resource resource, Instant now) {
        resource.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
    }

    @Transactional(readOnly = true)
    public Optional<Resource> read(String resourceType, String id) {
        return repository.findById(FhirIds.reference(resourceType, id)).map(this::parse);
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

    /**
     * What one submission's triage wrote, then the resources stored once for all submissions that it references
     * (the module's Device): what a copy elsewhere needs besides the response for its references to resolve.
     */
    @Transactional(readOnly = true)
    public List<Resource> forSubmissionWithShared(String submissionId) {
        List<Resource> written = new ArrayList<>(forSubmission(submissionId));
        Set<String> referenced = new TreeSet<>();
        for (Resource resource : written) {
            for (Reference reference :
                    fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                IIdType id = reference.getReferenceElement();
                if (id.hasResourceType() && id.hasIdPart() && !id.isAbsolute()) {
                    referenced.add(FhirIds.reference(id));
                }
            }
        }
        repository.findAllById(referenced).stream()
                .filter(row -> row.submissionId() == null)
                .sorted(Comparator.comparing(StoredResource::getId))
                .forEach(row -> written.add(parse(row)));
        return written;
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
        return repository.findById(FhirIds.reference(resourceType, id)).map(StoredResource::submissionId);
    }

    /**
     * The patient's triage Observations dated (effective) at or after {@code since}, at most {@code limit}, the
     * last stored first; retracted ones included (their status says so).
     */
    @Transactional(readOnly = true)
    public List<Observation> observationsOf(String patientId, Instant since, int limit) {
        ResultsCriteria criteria = new ResultsCriteria(
                "Observation", patientId, null, null, null, null, null, null, null, since, null, null, false);
        return find(criteria, 0, limit).stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .toList();
    }

    @Transactional(readOnly = true)
    public List<Resource> find(ResultsCriteria criteria, int offset, int limit) {
        return search.find(criteria, offset, limit).stream().map(this::parse).toList();
    }

    @Transactional(readOnly = true)
    public int count(ResultsCriteria criteria) {
        return search.count(criteria);
    }

    private Resource parse(StoredResource row) {
        return parse(row.resourceJson());
    }

    private Resource parse(String json) {
        Resource resource = (Resource) fhirContext.newJsonParser().parseResource(json);
        String version = resource.getMeta().hasVersionId() ? resource.getMeta().getVersionId() : "1";
        resource.setId(resource.getIdElement().withVersion(version));
        return resource;
    }
}
