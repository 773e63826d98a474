package org.twitchtriage.intake.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.storage.StoredRow;

/**
 * A stored QuestionnaireResponse: the resource as accepted, plus the columns searches use. It is inserted by
 * {@link ResponseRows} and read and replaced as this entity.
 * The row holds the current version; a correction moves the version it replaces to
 * {@code questionnaire_response_version} and rewrites the row ({@link SubmittedResponseRepository#replace}).
 */
@Entity
@Table(name = "questionnaire_response")
public class SubmittedResponse extends StoredRow {

    @Id
    @Column(name = "id", length = 64)
    private String id;

    @Column(name = "identifier_system", length = 512)
    private String identifierSystem;

    @Column(name = "identifier_value", length = 255)
    private String identifierValue;

    @Column(name = "questionnaire_url", length = 512, nullable = false)
    private String questionnaireUrl;

    @Column(name = "questionnaire_version", length = 64, nullable = false)
    private String questionnaireVersion;

    @Column(name = "subject_id", length = 64, nullable = false)
    private String subjectId;

    @Column(name = "status", length = 16, nullable = false)
    private String status;

    @Column(name = "authored_low", nullable = false)
    private Instant authoredLow;

    @Column(name = "authored_high", nullable = false)
    private Instant authoredHigh;

    @Column(name = "last_updated", nullable = false)
    private Instant lastUpdated;

    @Convert(converter = StoredJson.Converter.class)
    @Column(name = "resource_json", nullable = false)
    private String resourceJson;

    @Column(name = "version_id", nullable = false)
    private int versionId = 1;

    protected SubmittedResponse() {}

    @Override
    public String getId() {
        return id;
    }

    public String resourceJson() {
        return resourceJson;
    }

    public Instant lastUpdated() {
        return lastUpdated;
    }

    public int versionId() {
        return versionId;
    }
}
