package org.twitchtriage.delivery.internal;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.intake.ResponseAccepted;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.intake.ResponseRevised;
import org.twitchtriage.results.OrdersApproved;

/**
 * Writes the delivery record of every accepted submission, and of every approval of its orders, inside the
 * transaction that stores what is to be delivered.
 */
@Component
public class Outbox {

    private final DeliveryRows rows;
    private final ResponseIntake intake;
    private final ApplicationEventPublisher events;

    Outbox(DeliveryRows rows, ResponseIntake intake, ApplicationEventPublisher events) {
        this.rows = rows;
        this.intake = intake;
        this.events = events;
    }

    @EventListener
    void on(ResponseAccepted accepted) {
        record(Delivery.pending(accepted.submissionId(), accepted.at()));
    }

    /**
     * Approving twice stores nothing new and so publishes nothing: one approval delivery per version of the
     * response. It goes out after the delivery of the version the orders were approved from.
     */
    @EventListener
    void on(OrdersApproved approved) {
        int current = intake.read(approved.submissionId())
                .map(response -> response.getMeta().getVersionId())
                .map(Integer::parseInt)
                .orElse(1);
        record(Delivery.pending(approved.submissionId(), DeliveryBatch.APPROVED_ORDERS, current, approved.at()));
    }

    /** Each correction or retraction is a delivery of its own, sent after the ones before it. */
    @EventListener
    void on(ResponseRevised revised) {
        record(Delivery.pending(revised.submissionId(), DeliveryBatch.AMENDMENT, revised.version(), revised.at()));
    }

    private void record(Delivery pending) {
        rows.insert(pending);
        events.publishEvent(pending.statusChanged());
    }
}
