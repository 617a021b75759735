package dev.ferry.lifecycle;

/** A phase's status; dashboards depend on these names. */
public enum PhaseStatus {
    PENDING,
    AWAITING_APPROVAL,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    REJECTED,
    COMPENSATING,
    COMPENSATED;

    /** The phase is behind the job: progression moves on to the next one. */
    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
