package org.twitchtriage.delivery;

/**
 * A delivery was recorded (pending) or its status changed: delivered, failed, or pending again after a re-drive.
 * Published inside the transaction that stores the change, so a listener's writes commit or roll back with it.
 */
public record DeliveryStatusChanged(String submissionId, DeliveryBatch batch, DeliveryStatus status) {}
