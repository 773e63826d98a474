package org.twitchtriage.delivery;

/**
 * What a delivery carries to the EHR; each submission has one triage delivery, at most one of approved orders,
 * and one amendment per correction or retraction.
 */
public enum DeliveryBatch {
    /** The response and what its triage wrote, sent once the submission is accepted. */
    TRIAGE("triage"),
    /** The orders a clinician approved from the proposals, sent apart once approved. */
    APPROVED_ORDERS("approval"),
    /** What a correction or a retraction of the response changed, sent as updates once the earlier batches are. */
    AMENDMENT("amendment");

    private final String code;

    DeliveryBatch(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DeliveryBatch of(String code) {
        for (DeliveryBatch batch : values()) {
            if (batch.code.equals(code)) {
                return batch;
            }
        }
        throw new IllegalArgumentException("Unknown delivery batch " + code);
    }
}
