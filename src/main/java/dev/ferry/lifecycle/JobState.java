package dev.ferry.lifecycle;

/**
 * A job's state; dashboards depend on these names. {@code FAILED} stays a name of the API, but no
 * transition leads to it: the engine never gives a job up by itself (a step that fails for good
 * pauses the job for an operator, a stuck compensation keeps it ROLLING_BACK), and an operator who
 * gives up cancels.
 */
public enum JobState {
    CREATED,
    RUNNING,
    AWAITING_APPROVAL,
    WAITING,
    PAUSED,
    ROLLING_BACK,
    SUCCEEDED,
    ROLLED_BACK,
    FAILED,
    CANCELLED;

    /** No event leaves a terminal state; locks and leases of a terminal job are released. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == ROLLED_BACK || this == FAILED || this == CANCELLED;
    }

    /** Whether workers may run this job's steps. */
    public boolean isExecuting() {
        return this == RUNNING || this == ROLLING_BACK;
    }
}
