package dev.ferry.engine;

import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import java.util.Comparator;
import java.util.List;

/**
 * The rollback saga: the compensation of every completed step, newest first, one at a time (so
 * after CUTOVER the cutover is reverted before FREEZE is undone), then the job ends ROLLED_BACK.
 * A compensation that fails for good stays COMPENSATING with its error and the job stays
 * ROLLING_BACK for an operator.
 */
final class Saga {

    private static final String SYSTEM = Actor.SYSTEM.name();

    Decisions advance(Snapshot job) {
        Decisions.Builder out = new Decisions.Builder();
        StepSnapshot current = job.steps().stream()
                .filter(StepSnapshot::compensating)
                .findFirst()
                .orElse(null);
        if (current != null) {
            // Under way, or failed for good (error, nothing queued): either way, wait.
            if (!current.hasError() && !current.queuedOrLeased()) {
                out.add(new Decision.Queue(current.stepId(), true));
            }
            return out.build();
        }
        if (job.steps().stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) {
            // A forward step is still finishing (see Progression#abandon): it is the newest, so it goes first.
            return out.build();
        }
        List<StepSnapshot> pending = pending(job);
        if (!pending.isEmpty()) {
            StepSnapshot step = pending.get(0);
            job.phase(step.phase())
                    .filter(p -> p.status() != PhaseStatus.COMPENSATING)
                    .ifPresent(phase -> {
                        out.add(new Decision.PhaseStatusChange(phase.phase(), PhaseStatus.COMPENSATING));
                        out.add(new Decision.Record(JobEventDraft.of(JobEventType.PHASE_COMPENSATING, SYSTEM)
                                .phase(phase.phase())));
                    });
            return out.add(new Decision.StartCompensation(
                            step.stepId(), step.retry().maxAttempts()))
                    .build();
        }
        for (PhaseSnapshot phase : job.phases()) {
            // A phase cut short by the rollback had nothing left to undo once its steps are compensated.
            if (phase.status() == PhaseStatus.COMPENSATING || phase.status() == PhaseStatus.RUNNING) {
                out.add(new Decision.PhaseStatusChange(phase.phase(), PhaseStatus.COMPENSATED));
                out.add(new Decision.PhaseMeasured(
                        phase.phase(), "compensated", Progression.since(phase.startedAt(), job.now())));
                out.add(new Decision.Record(
                        JobEventDraft.of(JobEventType.PHASE_COMPENSATED, SYSTEM).phase(phase.phase())));
            }
        }
        return out.add(new Decision.Transition(
                        LifecycleEvent.ROLLBACK_COMPLETED, JobEventDraft.of(JobEventType.JOB_ROLLED_BACK, SYSTEM)))
                .build();
    }

    /**
     * The steps a rollback would compensate now, in the order it would: every completed step with
     * an undo, and one still under way that has an undo (it finishes first, then is undone).
     */
    static List<StepSnapshot> pending(Snapshot job) {
        return job.steps().stream()
                .filter(s -> (s.status() == StepStatus.SUCCEEDED || s.status() == StepStatus.RUNNING) && s.undoable())
                .sorted(Comparator.comparingInt(StepSnapshot::ordinal).reversed())
                .toList();
    }
}
