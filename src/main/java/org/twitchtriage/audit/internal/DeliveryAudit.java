package org.twitchtriage.audit.internal;

import org.springframework.context.event.EventListener;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.delivery.SubmissionDelivered;

/**
 * Records each delivery to the EHR as a disclosure: the module (source) sent the submission's resources to the
 * EHR (destination), subtype {@code transaction} or {@code create} after {@code ehr.mode}, action C.
 */
public class DeliveryAudit {

    private final AuditTrail trail;

    DeliveryAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @EventListener
    void delivered(SubmissionDelivered delivery) {
        AuditRecord.Builder sent = new AuditRecord.Builder().patient(delivery.patientId());
        delivery.resources().forEach(sent::entity);
        trail.record(sent.build(
                null,
                new Activity(delivery.interaction(), null, Action.CREATE),
                Outcome.SUCCESS,
                Outcome.SUCCESS.description,
                null,
                null,
                delivery.ehrBaseUrl()));
    }
}
