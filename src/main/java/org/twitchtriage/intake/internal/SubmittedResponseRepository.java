package org.twitchtriage.intake.internal;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SubmittedResponseRepository extends JpaRepository<SubmittedResponse, String> {

    // Declared, not derived from the method name: a derived query is rebuilt under a shared lock on every
    // call, and this lookup runs on every submission that carries an identifier.
    @Query("select r from SubmittedResponse r where r.identifierSystem = :system and r.identifierValue = :value")
    Optional<SubmittedResponse> findByIdentifier(@Param("system") String system, @Param("value") String value);
}
