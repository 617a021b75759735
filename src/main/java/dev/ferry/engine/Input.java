package dev.ferry.engine;

import dev.ferry.action.ActionResult;
import dev.ferry.lifecycle.PhaseStatus;

/** One thing that happened to a job, for the {@link Decider} to act on. */
public sealed interface Input {

    /** Something changed (a command, an approval, a timer, a finished step): move on as far as the job may. */
    record Advance() implements Input {}

    /** A worker claimed {@code stepId} and is about to call its action (or its undo). */
    record Claimed(String stepId, String worker) implements Input {}

    /**
     * A call of {@code stepId} came to {@code result} (already scrubbed of secrets); also a step that
     * could not be called at all (unknown action, unresolved template), as a non-retryable failure.
     */
    record StepFinished(String stepId, ActionResult result) implements Input {}

    /**
     * After a cancel or at the start of a rollback: no forward step starts any more.
     *
     * @param runningPhaseBecomes the new status of the phase under way, or null to leave it
     */
    record Abandon(String reason, PhaseStatus runningPhaseBecomes) implements Input {}
}
