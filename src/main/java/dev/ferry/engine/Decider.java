package dev.ferry.engine;

import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import java.util.List;

/**
 * The engine's pure decider (in the manner of Conductor's {@code DeciderService}): from a job
 * {@link Snapshot} and one {@link Input} to the {@link Decisions} that follow.
 *
 * <p>Contract: no I/O, no clock, no storage — the snapshot's {@code now} is the only time it reads.
 * Deciding twice on the same snapshot and input gives the same decisions (only a retry's jitter
 * differs). The caller applies the changes in order, in one transaction, then decides each of
 * {@link Decisions#then()} on a fresh snapshot of the changed job. Thread-safe.
 */
public final class Decider {

    private final StepResults steps;
    private final Progression progression = new Progression();
    private final Saga saga = new Saga();

    /** @param lifecycle the transition table, to know which lifecycle events the job accepts */
    public Decider(JobLifecycle lifecycle) {
        this.steps = new StepResults(lifecycle);
    }

    public Decisions decide(Snapshot job, Input input) {
        if (input instanceof Input.Claimed claimed) {
            return steps.claimed(job, step(job, claimed.stepId()), claimed.worker());
        }
        if (input instanceof Input.StepFinished finished) {
            return steps.finished(job, step(job, finished.stepId()), finished.result());
        }
        if (input instanceof Input.Abandon abandon) {
            return progression.abandon(job, abandon);
        }
        if (job.state() == JobState.ROLLING_BACK) {
            return saga.advance(job);
        }
        return job.state() == JobState.RUNNING ? progression.advance(job) : Decisions.none();
    }

    /** The steps a rollback would compensate now, in the order it would. */
    public static List<StepSnapshot> compensationOrder(Snapshot job) {
        return Saga.pending(job);
    }

    private static StepSnapshot step(Snapshot job, String stepId) {
        return job.step(stepId).orElseThrow(() -> new IllegalArgumentException("no step " + stepId));
    }
}
