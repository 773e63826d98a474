package org.twitchtriage.audit.internal;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AuditEventRepository extends JpaRepository<StoredAuditEvent, String> {}
