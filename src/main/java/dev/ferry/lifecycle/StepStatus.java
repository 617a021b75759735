package dev.ferry.lifecycle;

/** A step's status; dashboards depend on these names. */
public enum StepStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    COMPENSATING,
    COMPENSATED;

    /** The step is behind the phase: progression moves on to the next one. */
    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
