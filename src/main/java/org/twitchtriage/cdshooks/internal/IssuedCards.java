package org.twitchtriage.cdshooks.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The cards issued. A card's uuid is derived from the triage Observation and its version, so the EHR sees the same
 * uuid for the same result however often the chart is opened, and a correction makes a new card.
 */
@Component
class IssuedCards {

    private final IssuedCardRows rows;

    IssuedCards(IssuedCardRows rows) {
        this.rows = rows;
    }

    static String uuid(String observationId, int version) {
        return UUID.nameUUIDFromBytes(("twitch-triage cds card|Observation/" + observationId + "/_history/" + version)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Remembers the card, once; two calls at once both end with it stored. */
    String issue(String submissionId, String observationId, int version, Instant now) {
        String uuid = uuid(observationId, version);
        if (!rows.existsById(uuid)) {
            try {
                rows.save(new IssuedCard(uuid, submissionId, observationId, version, now));
            } catch (DataIntegrityViolationException issuedMeanwhile) {
                // Another call stored the same card first: the same row, so nothing is lost.
            }
        }
        return uuid;
    }

    Optional<IssuedCard> find(String uuid) {
        return rows.findById(uuid);
    }
}
