package org.twitchtriage.results;

/** What wrote a stored resource: a submission's triage, or a clinician acting on its result later. */
public enum Origin {
    /** The submission's triage. */
    TRIAGE("triage"),
    /** A clinician's review Task. */
    REVIEW("review"),
    /** Orders a clinician approved from proposals. */
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
