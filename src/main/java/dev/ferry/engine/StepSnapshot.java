package dev.ferry.engine;

import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.Phase;
import dev.ferry.plan.RetryPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * One step of a {@link Snapshot}: its stored state and what the plan says about it.
 *
 * @param leased a worker holds its lease
 * @param queued it has a next run time (queued, polling or waiting for a retry)
 * @param hasError it carries the error of its last failed attempt
 * @param retry the plan's retry policy for it
 * @param rollbackOnFailure when it fails for good the job rolls back instead of pausing
 * @param gate it is an OBSERVE gate (labels the rollback metric)
 * @param undoable it has a compensation (the plan's or the handler's own)
 * @param timeout how long an attempt may take; null for no limit
 * @param estimate how long it is expected to take, for maintenance windows; null when unknown
 */
public record StepSnapshot(
        String stepId,
        Phase phase,
        int ordinal,
        String action,
        StepStatus status,
        int attempt,
        int maxAttempts,
        boolean irreversible,
        Instant startedAt,
        Instant attemptStartedAt,
        Instant deadlineAt,
        boolean leased,
        boolean queued,
        boolean hasError,
        RetryPolicy retry,
        boolean rollbackOnFailure,
        boolean gate,
        boolean undoable,
        Duration timeout,
        Duration estimate) {

    boolean queuedOrLeased() {
        return queued || leased;
    }

    boolean compensating() {
        return status == StepStatus.COMPENSATING;
    }
}
