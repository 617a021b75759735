package dev.ferry.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import java.time.Duration;
import java.time.Instant;

/** Decides around a worker's call: whether it may call ({@link Input.Claimed}) and what its result does. */
final class StepResults {

    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofHours(1);
    private static final String SYSTEM = Actor.SYSTEM.name();

    private final JobLifecycle lifecycle;
    private final FailurePolicies policies;

    StepResults(JobLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.policies = new FailurePolicies(lifecycle);
    }

    Decisions claimed(Snapshot job, StepSnapshot step, String worker) {
        Decisions.Builder out = new Decisions.Builder();
        boolean undo = step.compensating();
        JobState state = job.state();
        boolean mayRun = undo
                ? state == JobState.ROLLING_BACK
                : state == JobState.RUNNING || Progression.finishesBeforeUndo(job, step);
        if (!mayRun) {
            if (!undo && state == JobState.ROLLING_BACK) {
                return stopForRollback(out, step, null);
            }
            // Paused or cancelled since the claim: hand the step back; progression re-queues it.
            return out.add(new Decision.ReleaseLease(step.stepId())).build();
        }
        if (step.attemptStartedAt() == null) {
            Instant deadline = step.timeout() == null ? null : job.now().plus(step.timeout());
            out.add(new Decision.BeginAttempt(step.stepId(), deadline));
            out.add(new Decision.Record(
                    JobEventDraft.of(undo ? JobEventType.STEP_COMPENSATION_STARTED : JobEventType.STEP_STARTED, SYSTEM)
                            .step(step.phase(), step.stepId())
                            .detail(JsonNodeFactory.instance
                                    .objectNode()
                                    .put("attempt", step.attempt() + 1)
                                    .put("action", step.action())
                                    .put("worker", worker))));
        }
        return out.add(new Decision.Call(step.stepId(), undo)).build();
    }

    Decisions finished(Snapshot job, StepSnapshot step, ActionResult result) {
        ActionResult outcome = timedOut(step, result, job.now());
        // Java 17: no pattern matching for switch yet.
        if (outcome instanceof ActionResult.Succeeded ok) {
            return succeeded(job, step, ok);
        }
        if (outcome instanceof ActionResult.InProgress more) {
            return inProgress(job, step, more);
        }
        return failed(job, step, (ActionResult.Failed) outcome);
    }

    private Decisions succeeded(Snapshot job, StepSnapshot step, ActionResult.Succeeded ok) {
        Decisions.Builder out = new Decisions.Builder();
        if (step.compensating()) {
            out.add(new Decision.Compensated(step.stepId(), ok.output()));
            out.add(new Decision.Record(
                    JobEventDraft.of(JobEventType.STEP_COMPENSATED, SYSTEM).step(step.phase(), step.stepId())));
        } else {
            out.add(new Decision.Succeed(step.stepId(), ok.output()));
            out.add(new Decision.StepMeasured(
                    step.phase(), step.action(), "succeeded", Duration.between(step.startedAt(), job.now())));
            out.add(new Decision.Record(JobEventDraft.of(JobEventType.STEP_SUCCEEDED, SYSTEM)
                    .step(step.phase(), step.stepId())
                    .detail(JsonNodeFactory.instance.objectNode().put("attempt", step.attempt()))));
        }
        return out.then(new Input.Advance()).build();
    }

    private Decisions inProgress(Snapshot job, StepSnapshot step, ActionResult.InProgress more) {
        Decisions.Builder out = new Decisions.Builder();
        boolean stopsForRollback = job.state() == JobState.ROLLING_BACK
                && !step.compensating()
                && !Progression.finishesBeforeUndo(job, step);
        if (stopsForRollback) {
            return stopForRollback(out, step, more.progress());
        }
        if (job.state().isTerminal()) {
            return out.add(new Decision.Abandon(
                            step.stepId(),
                            error("CANCELLED", "job ended while the step was in progress", false, step),
                            more.progress()))
                    .build();
        }
        return out.add(new Decision.Poll(
                        step.stepId(),
                        more.progress(),
                        more.message(),
                        job.now().plus(clamp(more.pollAfter()))))
                .build();
    }

    /** A forward step with nothing to undo stops where it is, and the rollback goes on without it. */
    private static Decisions stopForRollback(Decisions.Builder out, StepSnapshot step, JsonNode latest) {
        String reason = "the job is rolling back";
        return out.add(new Decision.Abandon(step.stepId(), error("ABANDONED", reason, false, step), latest))
                .add(new Decision.Record(JobEventDraft.of(JobEventType.STEP_ABANDONED, SYSTEM)
                        .step(step.phase(), step.stepId())
                        .reason(reason)))
                .then(new Input.Advance())
                .build();
    }

    private Decisions failed(Snapshot job, StepSnapshot step, ActionResult.Failed failed) {
        ObjectNode error = error(failed.code(), failed.message(), failed.retryable(), step);
        if (failed.detail() != null && !failed.detail().isEmpty()) {
            error.set("detail", failed.detail());
        }
        Decisions.Builder out = new Decisions.Builder();
        FailurePolicy policy = policies.of(job, step, failed);
        if (policy instanceof FailurePolicy.Retry retry) {
            Instant retryAt = job.now().plus(retry.delay());
            return out.add(new Decision.FailAttempt(step.stepId(), error, retryAt))
                    .add(new Decision.Record(stepEvent(JobEventType.STEP_ATTEMPT_FAILED, step, failed)
                            .detail(error.deepCopy().put("retryAt", retryAt.toString()))))
                    .build();
        }
        if (policy instanceof FailurePolicy.CompensationStuck stuck) {
            return out.add(new Decision.CompensationFailed(step.stepId(), error))
                    .add(new Decision.Record(stepEvent(JobEventType.STEP_COMPENSATION_FAILED, step, failed)
                            .detail(error)))
                    .add(new Decision.LastError(stuck.reason()))
                    .build();
        }
        out.add(new Decision.FailAttempt(step.stepId(), error, null))
                .add(new Decision.Record(
                        stepEvent(JobEventType.STEP_FAILED, step, failed).detail(error)));
        if (policy instanceof FailurePolicy.GiveUp) {
            return out.then(new Input.Advance()).build();
        }
        return failedForGood(out, job, step, policy);
    }

    /** The step failed for good: its phase fails with it, and the job rolls back or pauses. */
    private Decisions failedForGood(Decisions.Builder out, Snapshot job, StepSnapshot step, FailurePolicy policy) {
        String summary = policy instanceof FailurePolicy.RollBack rollBack
                ? rollBack.reason()
                : ((FailurePolicy.Pause) policy).reason();
        phaseFails(out, job, step, summary);
        out.add(new Decision.LastError(summary));
        if (policy instanceof FailurePolicy.RollBack rollBack) {
            return out.add(new Decision.Transition(
                            LifecycleEvent.ROLLBACK,
                            JobEventDraft.of(JobEventType.ROLLBACK_REQUESTED, SYSTEM)
                                    .step(step.phase(), step.stepId())
                                    .reason(summary)))
                    .add(new Decision.RollbackStarted(rollBack.trigger()))
                    .then(new Input.Abandon("rolled back: " + summary, null))
                    .then(new Input.Advance())
                    .build();
        }
        if (lifecycle
                .fire(job.state(), LifecycleEvent.STEP_FAILED, job.facts(step.stepId()))
                .accepted()) {
            out.add(new Decision.Transition(
                    LifecycleEvent.STEP_FAILED,
                    JobEventDraft.of(JobEventType.JOB_PAUSED, SYSTEM)
                            .step(step.phase(), step.stepId())
                            .reason(summary)));
        }
        return out.build();
    }

    private static void phaseFails(Decisions.Builder out, Snapshot job, StepSnapshot step, String reason) {
        out.add(new Decision.StepMeasured(
                step.phase(),
                step.action(),
                "failed",
                Duration.between(step.startedAt() == null ? job.now() : step.startedAt(), job.now())));
        job.phase(step.phase()).ifPresent(phase -> {
            out.add(new Decision.PhaseStatusChange(phase.phase(), PhaseStatus.FAILED));
            out.add(new Decision.Record(JobEventDraft.of(JobEventType.PHASE_FAILED, SYSTEM)
                    .phase(phase.phase())
                    .states(phase.status(), PhaseStatus.FAILED)
                    .reason(reason)));
            out.add(new Decision.PhaseMeasured(
                    phase.phase(),
                    "failed",
                    Duration.between(phase.startedAt() == null ? job.now() : phase.startedAt(), job.now())));
        });
    }

    private static JobEventDraft stepEvent(JobEventType type, StepSnapshot step, ActionResult.Failed failed) {
        return JobEventDraft.of(type, SYSTEM).step(step.phase(), step.stepId()).reason(failed.message());
    }

    /** A poll past the step's deadline is a failed attempt, however the handler saw it. */
    private static ActionResult timedOut(StepSnapshot step, ActionResult result, Instant now) {
        if (result instanceof ActionResult.InProgress
                && step.deadlineAt() != null
                && !now.isBefore(step.deadlineAt())) {
            return new ActionResult.Failed(
                    true,
                    "TIMEOUT",
                    "step did not finish before its timeout (" + step.deadlineAt() + ")",
                    JsonNodeFactory.instance.objectNode());
        }
        return result;
    }

    static ObjectNode error(String code, String message, boolean retryable, StepSnapshot step) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("code", code)
                .put("message", message)
                .put("retryable", retryable)
                .put("attempt", step.attempt());
    }

    private static Duration clamp(Duration pollAfter) {
        if (pollAfter == null || pollAfter.compareTo(MIN_POLL) < 0) {
            return MIN_POLL;
        }
        return pollAfter.compareTo(MAX_POLL) > 0 ? MAX_POLL : pollAfter;
    }
}
