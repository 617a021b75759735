package dev.ferry.engine;

import dev.ferry.action.ActionResult;
import dev.ferry.action.local.GateAction;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;

/** Chooses the {@link FailurePolicy} for a failed attempt of a step. */
final class FailurePolicies {

    private final JobLifecycle lifecycle;

    FailurePolicies(JobLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    FailurePolicy of(Snapshot job, StepSnapshot step, ActionResult.Failed failed) {
        if (job.state() == JobState.ROLLING_BACK && !step.compensating()) {
            // The job is going back: a forward step left to finish is not retried.
            return new FailurePolicy.GiveUp();
        }
        if (failed.retryable()
                && step.attempt() < step.maxAttempts()
                && !job.state().isTerminal()) {
            return new FailurePolicy.Retry(step.retry().delayAfter(step.attempt()));
        }
        if (step.compensating()) {
            return new FailurePolicy.CompensationStuck(
                    "compensation of " + step.stepId() + " failed: " + failed.code() + ": " + failed.message());
        }
        String summary = "step " + step.stepId() + " failed: " + failed.code() + ": " + failed.message();
        // A gate with onFailure: rollback undoes the job at once, unless it only lacked data (a person decides then).
        if (step.rollbackOnFailure()
                && !GateAction.INCONCLUSIVE.equals(failed.code())
                && lifecycle
                        .fire(job.state(), LifecycleEvent.ROLLBACK, job.facts(step.stepId()))
                        .accepted()) {
            return new FailurePolicy.RollBack(summary, step.gate() ? "observe-gate" : "step-failure");
        }
        return new FailurePolicy.Pause(summary);
    }
}
