package dev.ferry.alert;

/** What an alert did to one job (or to none: {@code jobId} null). */
public record AlertOutcome(String jobId, Kind outcome, String detail) {

    public enum Kind {
        ROLLED_BACK,
        DUPLICATE,
        NOT_ELIGIBLE,
        MATCHED_NOTHING,
        IGNORED_RESOLVED
    }
}
