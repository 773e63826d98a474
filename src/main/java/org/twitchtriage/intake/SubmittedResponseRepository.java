package org.twitchtriage.intake;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface SubmittedResponseRepository extends JpaRepository<SubmittedResponse, String> {

    Optional<SubmittedResponse> findByIdentifierSystemAndIdentifierValue(String system, String value);
}
