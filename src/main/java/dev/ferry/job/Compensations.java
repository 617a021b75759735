package dev.ferry.job;

import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.StepSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The rollback saga: runs the compensation of every completed step, newest first, one at a time
 * (so after CUTOVER the cutover is reverted before FREEZE is undone), then ends the job
 * ROLLED_BACK. A compensation that fails for good stays COMPENSATING with its error and the job
 * stays ROLLING_BACK for an operator.
 */
@Component
public class Compensations {

    private final PlanCatalog plans;
    private final ActionRegistry actions;
    private final ReadyWork readyWork;
    private final FerryMetrics metrics;

    Compensations(PlanCatalog plans, ActionRegistry actions, ReadyWork readyWork, FerryMetrics metrics) {
        this.metrics = metrics;
        this.plans = plans;
        this.actions = actions;
        this.readyWork = readyWork;
    }

    /**
     * The steps a rollback would compensate now, in the order it would: every completed step with
     * an undo, and one still under way that has an undo (it finishes first, then is undone).
     */
    public List<StepExecution> pending(MigrationJob job) {
        Map<String, StepSpec> specs = specs(job);
        return job.steps().stream()
                .filter(s -> (s.status() == StepStatus.SUCCEEDED || s.status() == StepStatus.RUNNING)
                        && undoable(specs.get(s.stepId())))
                .sorted(Comparator.comparingInt(StepExecution::ordinal).reversed())
                .toList();
    }

    boolean undoable(StepSpec spec) {
        return spec != null && (spec.compensate() != null
                || actions.find(spec.action()).map(ActionHandler::compensable).orElse(false));
    }

    void advance(JobChange change) {
        MigrationJob job = change.job();
        if (job.state() != JobState.ROLLING_BACK) {
            return;
        }
        StepExecution current = job.steps().stream().filter(s -> s.status() == StepStatus.COMPENSATING)
                .findFirst().orElse(null);
        if (current != null) {
            // Under way, or failed for good (error, nothing queued): either way, wait.
            if (current.error() == null && !current.isQueuedOrLeased()) {
                current.scheduleUrgently(change.now());
                readyWork.announce();
            }
            return;
        }
        if (job.steps().stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) {
            // A forward step is still finishing (see JobProgression#abandon): it is the newest, so it goes first.
            return;
        }
        List<StepExecution> pending = pending(job);
        if (!pending.isEmpty()) {
            start(change, pending.get(0));
            return;
        }
        for (PhaseExecution phase : job.phases()) {
            // A phase cut short by the rollback had nothing left to undo once its steps are compensated.
            if (phase.status() == PhaseStatus.COMPENSATING || phase.status() == PhaseStatus.RUNNING) {
                phase.status(PhaseStatus.COMPENSATED, change.now());
                metrics.phaseFinished(plans.findById(job.planId()).orElseThrow().name(), phase.phase().name(),
                        "compensated", java.time.Duration.between(
                                phase.startedAt() == null ? change.now() : phase.startedAt(), change.now()));
                change.record(JobEventDraft.of(JobEventType.PHASE_COMPENSATED, Actor.SYSTEM.name()).phase(phase.phase()));
            }
        }
        change.transition(LifecycleEvent.ROLLBACK_COMPLETED,
                JobEventDraft.of(JobEventType.JOB_ROLLED_BACK, Actor.SYSTEM.name()));
    }

    private void start(JobChange change, StepExecution step) {
        StepSpec spec = specs(change.job()).get(step.stepId());
        PhaseExecution phase = change.job().phase(step.phase()).orElseThrow();
        if (phase.status() != PhaseStatus.COMPENSATING) {
            phase.status(PhaseStatus.COMPENSATING, change.now());
            change.record(JobEventDraft.of(JobEventType.PHASE_COMPENSATING, Actor.SYSTEM.name()).phase(phase.phase()));
        }
        step.startCompensation(spec.retry().maxAttempts(), change.now());
        readyWork.announce();
    }

    private Map<String, StepSpec> specs(MigrationJob job) {
        PlanDocument plan = plans.findById(job.planId()).orElseThrow().document();
        return plan.steps().collect(Collectors.toMap(StepSpec::id, Function.identity()));
    }
}
