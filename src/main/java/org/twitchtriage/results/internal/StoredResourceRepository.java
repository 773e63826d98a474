package org.twitchtriage.results.internal;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface StoredResourceRepository extends JpaRepository<StoredResource, String>, SharedRows {

    @Query("select r from StoredResource r where r.submissionId = :submission and r.origin = :origin order by r.key")
    List<StoredResource> findBySubmission(@Param("submission") String submissionId, @Param("origin") String origin);

    @Query("select r from StoredResource r where r.submissionId in :submissions order by r.key")
    List<StoredResource> findBySubmissions(@Param("submissions") Collection<String> submissionIds);

    @Query("select r from StoredResource r where r.submissionId = :submission order by r.key")
    List<StoredResource> findAllBySubmission(@Param("submission") String submissionId);

    /** Keeps the current version of a resource in the table of versions, before the row is replaced. */
    @Modifying
    @Query(
            nativeQuery = true,
            value = "insert into triage_resource_version (resource_key, version_id, revision, last_updated,"
                    + " resource_json) select resource_key, version_id, revision, last_updated, resource_json"
                    + " from triage_resource where resource_key = :key and version_id = :version")
    int keepVersion(@Param("key") String key, @Param("version") int version);

    /** The JSON of a version the current one replaced; empty for the current version or an unknown one. */
    @Query(
            nativeQuery = true,
            value = "select resource_json from triage_resource_version where resource_key = :key"
                    + " and version_id = :version")
    List<byte[]> findVersion(@Param("key") String key, @Param("version") int version);

    /** The versions the current one replaced, newest first. */
    @Query(
            nativeQuery = true,
            value = "select resource_json from triage_resource_version where resource_key = :key"
                    + " order by version_id desc")
    List<byte[]> findVersions(@Param("key") String key);
}
