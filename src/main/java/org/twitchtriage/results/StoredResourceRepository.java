package org.twitchtriage.results;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface StoredResourceRepository extends JpaRepository<StoredResource, String> {

    @Query("select r from StoredResource r where r.submissionId = :submission order by r.key")
    List<StoredResource> findBySubmission(@Param("submission") String submissionId);
}
