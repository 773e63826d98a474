package org.twitchtriage.delivery;

import java.util.Locale;

/** Where a submission's delivery to the EHR stands. */
public enum DeliveryStatus {
    /** Waiting to be sent, or to be sent again after a failure that may pass. */
    PENDING,
    /** The EHR accepted everything. */
    DELIVERED,
    /** The EHR refused it, or every attempt failed; an operator can re-drive it. */
    FAILED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
