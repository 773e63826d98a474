package org.twitchtriage.intake.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SubmittedResponseRepository extends JpaRepository<SubmittedResponse, String> {

    // Declared, not derived from the method name: a derived query is rebuilt under a shared lock on every
    // call, and this lookup runs on every submission that carries an identifier.
    @Query("select r from SubmittedResponse r where r.identifierSystem = :system and r.identifierValue = :value")
    Optional<SubmittedResponse> findByIdentifier(@Param("system") String system, @Param("value") String value);

    /** Keeps a version the row no longer holds, once {@link #replace} has replaced it. */
    @Modifying
    @Query(
            nativeQuery = true,
            value = "insert into questionnaire_response_version (id, version_id, last_updated, resource_json)"
                    + " values (:id, :version, :lastUpdated, :json)")
    int keepVersion(
            @Param("id") String id,
            @Param("version") int version,
            @Param("lastUpdated") Instant lastUpdated,
            @Param("json") byte[] json);

    /**
     * Compare-and-set: replaces version {@code current} with the next one; 0 when another update replaced it
     * first.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update SubmittedResponse r set r.versionId = :current + 1, r.status = :status,"
            + " r.questionnaireVersion = :questionnaireVersion, r.authoredLow = :authoredLow,"
            + " r.authoredHigh = :authoredHigh, r.lastUpdated = :lastUpdated, r.resourceJson = :json"
            + " where r.id = :id and r.versionId = :current")
    int replace(
            @Param("id") String id,
            @Param("current") int current,
            @Param("status") String status,
            @Param("questionnaireVersion") String questionnaireVersion,
            @Param("authoredLow") Instant authoredLow,
            @Param("authoredHigh") Instant authoredHigh,
            @Param("lastUpdated") Instant lastUpdated,
            @Param("json") String json);

    @Query(
            nativeQuery = true,
            value = "select resource_json from questionnaire_response_version where id = :id and version_id = :version")
    List<byte[]> findVersion(@Param("id") String id, @Param("version") int version);

    /** The versions the current one replaced, newest first. */
    @Query(
            nativeQuery = true,
            value = "select resource_json from questionnaire_response_version where id = :id order by version_id desc")
    List<byte[]> findVersions(@Param("id") String id);
}
