package org.twitchtriage.results;

/** What wrote a stored resource, and so whether and with what it is delivered to the EHR. */
public enum Origin {
    /** The submission's triage: delivered with the submission. */
    TRIAGE("triage"),
    /** A clinician's review Task: kept in the module. */
    REVIEW("review"),
    /** Orders a clinician approved from proposals: delivered in a batch of their own. */
    APPROVAL("approval");

    private final String code;

    Origin(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Origin of(String code) {
        for (Origin origin : values()) {
            if (origin.code.equals(code)) {
                return origin;
            }
        }
        throw new IllegalArgumentException("Unknown origin " + code);
    }
}
