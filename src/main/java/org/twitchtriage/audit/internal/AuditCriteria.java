package org.twitchtriage.audit.internal;

import java.time.Instant;

/**
 * What an AuditEvent search asks for; {@code null} fields do not constrain.
 *
 * @param patientId      events with this patient among their entities
 * @param from           events recorded at or after
 * @param to             events recorded at or before
 * @param agentReference events with an agent whose {@code who.reference} is this ({@code Practitioner/12})
 * @param agentSystem    with {@link #agentValue}: the agent identifier's system; {@code null} for any system
 * @param agentValue     events with an agent whose {@code who.identifier.value} is this
 * @param entityType     with {@link #entityId}: the entity's type; {@code null} for any type
 * @param entityId       events with an entity of this id
 * @param matchesNothing the parameters name something no event can have
 */
public record AuditCriteria(
        String patientId,
        Instant from,
        Instant to,
        String agentReference,
        String agentSystem,
        String agentValue,
        String entityType,
        String entityId,
        boolean matchesNothing) {}
