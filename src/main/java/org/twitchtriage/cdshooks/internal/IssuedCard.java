package org.twitchtriage.cdshooks.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.twitchtriage.storage.StoredRow;

/** A card the patient-view service returned, and the version of the triage result it was built from. */
@Entity
@Table(name = "cds_card")
public class IssuedCard extends StoredRow {

    @Id
    @Column(name = "card_uuid", length = 36)
    private String uuid;

    @Column(name = "submission_id", length = 64)
    private String submissionId;

    @Column(name = "observation_id", length = 64)
    private String observationId;

    @Column(name = "observation_version")
    private int observationVersion;

    @Column(name = "issued_at")
    private Instant issuedAt;

    protected IssuedCard() {}

    IssuedCard(String uuid, String submissionId, String observationId, int observationVersion, Instant issuedAt) {
        this.uuid = uuid;
        this.submissionId = submissionId;
        this.observationId = observationId;
        this.observationVersion = observationVersion;
        this.issuedAt = issuedAt;
    }

    @Override
    public String getId() {
        return uuid;
    }

    String submissionId() {
        return submissionId;
    }

    String observationId() {
        return observationId;
    }

    int observationVersion() {
        return observationVersion;
    }
}
