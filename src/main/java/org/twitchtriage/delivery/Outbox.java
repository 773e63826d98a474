package org.twitchtriage.delivery;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.twitchtriage.intake.ResponseAccepted;

/** Writes the delivery record of every accepted submission, inside the transaction that stores it. */
@Component
class Outbox {

    private final DeliveryRepository repository;

    Outbox(DeliveryRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void on(ResponseAccepted accepted) {
        repository.save(Delivery.pending(accepted.submissionId(), accepted.at()));
    }
}
