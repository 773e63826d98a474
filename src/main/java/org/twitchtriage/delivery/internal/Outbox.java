package org.twitchtriage.delivery.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.twitchtriage.intake.ResponseAccepted;
import org.twitchtriage.results.OrdersApproved;
import org.twitchtriage.results.Origin;

/**
 * Writes the delivery record of every accepted submission, and of every approval of its orders, inside the
 * transaction that stores what is to be delivered.
 */
@Component
public class Outbox {

    private final DeliveryRepository repository;

    Outbox(DeliveryRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void on(ResponseAccepted accepted) {
        repository.save(Delivery.pending(accepted.submissionId(), accepted.at()));
    }

    /** Approving twice stores nothing new and so publishes nothing: one approval delivery per submission. */
    @EventListener
    void on(OrdersApproved approved) {
        repository.save(Delivery.pending(approved.submissionId(), Origin.APPROVAL, approved.at()));
    }
}
