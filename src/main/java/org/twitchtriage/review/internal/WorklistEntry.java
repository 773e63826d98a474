package org.twitchtriage.review.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.twitchtriage.storage.StoredRow;

/** One triage result as the worklist filters and orders on it; written by {@link WorklistProjection} only. */
@Entity
@Table(name = "worklist_entry")
public class WorklistEntry extends StoredRow {

    static final int ATTENTION_LENGTH = 1000;

    @Id
    @Column(name = "submission_id", length = 64)
    private String submissionId;

    @Column(name = "authored")
    private Instant authored;

    @Column(name = "level_system", length = 255)
    private String levelSystem;

    @Column(name = "level_code", length = 64)
    private String levelCode;

    @Column(name = "reviewed", nullable = false)
    private boolean reviewed;

    @Column(name = "triage_delivery", length = 16)
    private String triageDelivery;

    @Column(name = "approval_delivery", length = 16)
    private String approvalDelivery;

    /** The version of the response the level follows from; 1 until a correction. */
    @Column(name = "revision", nullable = false)
    private int revision = 1;

    /** The level before the latest correction; null until one. */
    @Column(name = "previous_level_system", length = 255)
    private String previousLevelSystem;

    @Column(name = "previous_level_code", length = 64)
    private String previousLevelCode;

    @Column(name = "retracted", nullable = false)
    private boolean retracted;

    /** Why a clinician must look at the result again (what the EHR kept as it had it); null when nothing. */
    @Column(name = "attention", length = ATTENTION_LENGTH)
    private String attention;

    /** The patient's id, without {@code Patient/}. */
    @Column(name = "patient_id", length = 64)
    private String patientId;

    protected WorklistEntry() {}

    WorklistEntry(String submissionId, Instant authored, String levelSystem, String levelCode, String patientId) {
        this.submissionId = submissionId;
        this.authored = authored;
        this.levelSystem = levelSystem;
        this.levelCode = levelCode;
        this.patientId = patientId;
    }

    /** The state of the result's own delivery, set before the entry is first written. */
    void triageDelivery(String status) {
        this.triageDelivery = status;
    }

    Instant authored() {
        return authored;
    }

    String levelSystem() {
        return levelSystem;
    }

    String levelCode() {
        return levelCode;
    }

    String triageDelivery() {
        return triageDelivery;
    }

    String patientId() {
        return patientId;
    }

    @Override
    public String getId() {
        return submissionId;
    }
}
