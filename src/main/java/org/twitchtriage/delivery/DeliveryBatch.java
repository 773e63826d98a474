package org.twitchtriage.delivery;

/** What a delivery carries to the EHR; each submission has at most one delivery of each. */
public enum DeliveryBatch {
    /** The response and what its triage wrote, sent once the submission is accepted. */
    TRIAGE("triage"),
    /** The orders a clinician approved from the proposals, sent apart once approved. */
    APPROVED_ORDERS("approval");

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
