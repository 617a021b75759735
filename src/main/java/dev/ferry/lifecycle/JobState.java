package dev.ferry.lifecycle;

/** A job's state; dashboards depend on these names. */
public enum JobState {
    CREATED, RUNNING, AWAITING_APPROVAL, WAITING, PAUSED, ROLLING_BACK, SUCCEEDED, ROLLED_BACK, FAILED, CANCELLED;

    /** No event leaves a terminal state; locks and leases of a terminal job are released. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == ROLLED_BACK || this == FAILED || this == CANCELLED;
    }

    /** Whether workers may run this job's steps. */
    public boolean isExecuting() {
        return this == RUNNING || this == ROLLING_BACK;
    }
}
