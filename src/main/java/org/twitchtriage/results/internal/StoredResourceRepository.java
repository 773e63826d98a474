package org.twitchtriage.results.internal;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface StoredResourceRepository extends JpaRepository<StoredResource, String>, SharedRows {

    @Query("select r from StoredResource r where r.submissionId = :submission and r.origin = :origin order by r.key")
    List<StoredResource> findBySubmission(@Param("submission") String submissionId, @Param("origin") String origin);

    @Query("select r from StoredResource r where r.submissionId in :submissions order by r.key")
    List<StoredResource> findBySubmissions(@Param("submissions") Collection<String> submissionIds);
}
