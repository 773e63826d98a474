package org.twitchtriage.results.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.results.Origin;
import org.twitchtriage.storage.SqlTimestamps;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.storage.StoredRow;

/** One resource written by a triage, as stored, with the columns searches use. */
@Entity
@Table(name = "triage_resource")
public class StoredResource extends StoredRow {

    /** The columns {@link #values()} gives, for storing a row without Hibernate. */
    static final String INSERT = "insert into triage_resource (resource_key, resource_type, resource_id,"
            + " submission_id, subject_id, code_system, code_value, value_system, value_code, priority, status,"
            + " requisition, recorded, last_updated, resource_json, origin)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Id
    @Column(name = "resource_key", length = 140)
    private String key;

    @Column(name = "resource_type", length = 32, nullable = false)
    private String resourceType;

    @Column(name = "resource_id", length = 64, nullable = false)
    private String resourceId;

    @Column(name = "submission_id", length = 64)
    private String submissionId;

    @Column(name = "subject_id", length = 64)
    private String subjectId;

    @Column(name = "code_system", length = 255)
    private String codeSystem;

    @Column(name = "code_value", length = 64)
    private String codeValue;

    @Column(name = "value_system", length = 255)
    private String valueSystem;

    @Column(name = "value_code", length = 64)
    private String valueCode;

    @Column(name = "priority", length = 16)
    private String priority;

    @Column(name = "status", length = 16)
    private String status;

    @Column(name = "requisition", length = 255)
    private String requisition;

    @Column(name = "recorded")
    private Instant recorded;

    @Column(name = "last_updated", nullable = false)
    private Instant lastUpdated;

    @Convert(converter = StoredJson.Converter.class)
    @Column(name = "resource_json", nullable = false)
    private String resourceJson;

    @Column(name = "origin", length = 16, nullable = false)
    private String origin;

    @Column(name = "version_id", nullable = false)
    private int versionId = 1;

    /** The version of the submission's response whose triage wrote this version. */
    @Column(name = "revision", nullable = false)
    private int revision = 1;

    protected StoredResource() {}

    public StoredResource(
            ResourceColumns columns, String submissionId, Origin origin, Instant lastUpdated, String resourceJson) {
        this.key = FhirIds.reference(columns.resourceType(), columns.resourceId());
        this.resourceType = columns.resourceType();
        this.resourceId = columns.resourceId();
        this.submissionId = submissionId;
        this.origin = origin.code();
        write(columns, lastUpdated, resourceJson);
    }

    /** A resource first written by a revision of its submission. */
    public StoredResource(
            ResourceColumns columns,
            String submissionId,
            Origin origin,
            int revision,
            Instant lastUpdated,
            String resourceJson) {
        this(columns, submissionId, origin, lastUpdated, resourceJson);
        this.revision = revision;
    }

    /**
     * Makes this row the resource's next version; the caller has kept the current one in
     * {@code triage_resource_version}.
     */
    public void replace(ResourceColumns columns, int version, int revision, Instant lastUpdated, String resourceJson) {
        if (version != versionId + 1) {
            throw new IllegalStateException(key + " is at version " + versionId + ", not " + (version - 1));
        }
        this.versionId = version;
        this.revision = revision;
        write(columns, lastUpdated, resourceJson);
    }

    /** What every version of a resource sets: the searched columns and the resource itself. */
    private void write(ResourceColumns columns, Instant lastUpdated, String resourceJson) {
        this.subjectId = columns.subjectId();
        this.codeSystem = columns.codeSystem();
        this.codeValue = columns.codeValue();
        this.valueSystem = columns.valueSystem();
        this.valueCode = columns.valueCode();
        this.priority = columns.priority();
        this.status = columns.status();
        this.requisition = columns.requisition();
        this.recorded = columns.recorded();
        this.lastUpdated = lastUpdated;
        this.resourceJson = resourceJson;
    }

    public int versionId() {
        return versionId;
    }

    public int revision() {
        return revision;
    }

    public Origin origin() {
        return Origin.of(origin);
    }

    Object[] values() {
        return new Object[] {
            key,
            resourceType,
            resourceId,
            submissionId,
            subjectId,
            codeSystem,
            codeValue,
            valueSystem,
            valueCode,
            priority,
            status,
            requisition,
            SqlTimestamps.utc(recorded),
            SqlTimestamps.utc(lastUpdated),
            StoredJson.bytes(resourceJson),
            origin
        };
    }

    @Override
    public String getId() {
        return key;
    }

    public String resourceJson() {
        return resourceJson;
    }

    public String submissionId() {
        return submissionId;
    }
}
