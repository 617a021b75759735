package dev.ferry.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a running job does next: request a phase's approval, start a phase, queue its next step,
 * close a finished phase, or complete the job. Closing a phase asks to decide again, so one
 * decision never has to see its own changes.
 */
final class Progression {

    private static final String SYSTEM = Actor.SYSTEM.name();

    Decisions advance(Snapshot job) {
        Decisions.Builder out = new Decisions.Builder();
        for (PhaseSnapshot phase : job.phases()) {
            if (phase.status().isDone()) {
                continue;
            }
            out.add(new Decision.CurrentPhase(phase.phase()));
            if (phase.phase().compareTo(Phase.FREEZE) >= 0 && !job.resourcesLocked()) {
                return out.add(new Decision.LockResources())
                        .then(new Input.Advance())
                        .build();
            }
            if (!enter(out, job, phase)) {
                return out.build();
            }
            List<StepSnapshot> steps = job.stepsOf(phase.phase());
            StepSnapshot next =
                    steps.stream().filter(s -> !s.status().isDone()).findFirst().orElse(null);
            if (next != null) {
                if (!outsideWindow(out, job, phase, next)) {
                    // The first step after an approval: an approver is watching for it to start.
                    boolean awaited = phase.requiresApproval() && steps.get(0) == next;
                    queue(out, next, awaited);
                }
                return out.build();
            }
            out.add(new Decision.PhaseStatusChange(phase.phase(), PhaseStatus.SUCCEEDED));
            out.add(new Decision.Record(
                    JobEventDraft.of(JobEventType.PHASE_SUCCEEDED, SYSTEM).phase(phase.phase())));
            out.add(new Decision.PhaseMeasured(phase.phase(), "succeeded", since(phase.startedAt(), job.now())));
            return out.then(new Input.Advance()).build();
        }
        return out.add(new Decision.Transition(
                        LifecycleEvent.COMPLETE, JobEventDraft.of(JobEventType.JOB_SUCCEEDED, SYSTEM)))
                .build();
    }

    /** Gets {@code phase} to RUNNING if it may run now; false when the job has to wait or stop. */
    private static boolean enter(Decisions.Builder out, Snapshot job, PhaseSnapshot phase) {
        switch (phase.status()) {
            case RUNNING:
                return true;
            case PENDING, REJECTED:
                if (tooEarly(out, job, phase)) {
                    return false;
                }
                if (phase.requiresApproval()) {
                    requestApproval(out, phase);
                    return false;
                }
                return !windowClosed(out, job, phase) && start(out, job, phase);
            case AWAITING_APPROVAL:
                // Approvals may have arrived while the job was paused, or expired while it waited for its window.
                if (phase.quorumReached()) {
                    return !windowClosed(out, job, phase) && start(out, job, phase);
                }
                out.add(new Decision.Transition(
                        LifecycleEvent.AWAIT_APPROVAL,
                        JobEventDraft.of(JobEventType.JOB_AWAITING_APPROVAL, SYSTEM)
                                .phase(phase.phase())));
                return false;
            default:
                // FAILED: the job is paused until an operator retries or skips the step.
                return false;
        }
    }

    /** notBefore: the phase waits until a delay after an earlier phase ended (fixed once, then only by an operator). */
    private static boolean tooEarly(Decisions.Builder out, Snapshot job, PhaseSnapshot phase) {
        NotBefore notBefore = phase.notBefore();
        if (notBefore == null) {
            return false;
        }
        Instant earliest = phase.earliestStart();
        if (earliest == null) {
            Instant ended =
                    job.phase(notBefore.after()).map(PhaseSnapshot::finishedAt).orElse(null);
            earliest = (ended == null ? job.now() : ended).plus(notBefore.delay());
            out.add(new Decision.EarliestStart(phase.phase(), earliest));
        }
        if (!job.now().isBefore(earliest)) {
            return false;
        }
        waitUntil(
                out,
                earliest,
                JsonNodeFactory.instance
                        .objectNode()
                        .put("kind", "notBefore")
                        .put("phase", phase.phase().name())
                        .put("after", notBefore.after().name())
                        .put("delay", notBefore.delay().toString()),
                "phase " + phase.phase() + " may not start before " + earliest);
        return true;
    }

    /** A maintenance window: an approved phase starts only while it is open. */
    private static boolean windowClosed(Decisions.Builder out, Snapshot job, PhaseSnapshot phase) {
        MaintenanceWindow window = phase.window();
        if (window == null || window.isOpen(job.now())) {
            return false;
        }
        Instant opens = window.nextOpening(job.now());
        waitUntil(
                out,
                opens,
                JsonNodeFactory.instance
                        .objectNode()
                        .put("kind", "window")
                        .put("phase", phase.phase().name())
                        .put("opensAt", opens.toString()),
                "phase " + phase.phase() + " waits for its maintenance window, opening " + opens);
        return true;
    }

    /**
     * In a phase with a maintenance window a step starts only while the window is open and, when
     * the plan gives an {@code estimate}, only if it can finish before the window closes; otherwise
     * the job waits for the next opening rather than start a change it cannot finish in time.
     */
    private static boolean outsideWindow(Decisions.Builder out, Snapshot job, PhaseSnapshot phase, StepSnapshot next) {
        MaintenanceWindow window = phase.window();
        if (window == null || next.status() != StepStatus.PENDING) {
            return false;
        }
        Instant now = job.now();
        Duration estimate = next.estimate();
        if (window.isOpen(now) && (estimate == null || !now.plus(estimate).isAfter(window.closing(now)))) {
            return false;
        }
        Instant closes = window.isOpen(now) ? window.closing(now) : now;
        Instant opens = window.nextOpening(closes);
        ObjectNode waitingFor = JsonNodeFactory.instance
                .objectNode()
                .put("kind", "window")
                .put("phase", phase.phase().name())
                .put("opensAt", opens.toString())
                .put("step", next.stepId());
        String why;
        if (window.isOpen(now)) {
            waitingFor.put("estimate", estimate.toString()).put("closesAt", closes.toString());
            why = "step " + next.stepId() + " (estimate " + estimate + ") cannot finish before the window closes at "
                    + closes;
        } else {
            why = "the maintenance window closed before step " + next.stepId() + " could start";
        }
        waitUntil(out, opens, waitingFor, why + "; waiting for the next opening at " + opens);
        return true;
    }

    private static void waitUntil(Decisions.Builder out, Instant at, ObjectNode waitingFor, String reason) {
        out.add(new Decision.WaitUntil(at, waitingFor));
        out.add(new Decision.Transition(
                LifecycleEvent.WAIT,
                JobEventDraft.of(JobEventType.JOB_WAITING, SYSTEM)
                        .reason(reason)
                        .detail(waitingFor.deepCopy().put("wakeAt", at.toString()))));
    }

    private static void requestApproval(Decisions.Builder out, PhaseSnapshot phase) {
        out.add(new Decision.RequestApproval(phase.phase()));
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("required", phase.approvalsRequired())
                .put("round", phase.approvalRound() + 1);
        out.add(new Decision.Record(JobEventDraft.of(JobEventType.PHASE_AWAITING_APPROVAL, SYSTEM)
                .phase(phase.phase())
                .detail(detail)));
        out.add(new Decision.Transition(
                LifecycleEvent.AWAIT_APPROVAL,
                JobEventDraft.of(JobEventType.JOB_AWAITING_APPROVAL, SYSTEM).phase(phase.phase())));
    }

    private static boolean start(Decisions.Builder out, Snapshot job, PhaseSnapshot phase) {
        if (phase.approvalRequestedAt() != null) {
            out.add(new Decision.ApprovalWaited(
                    phase.phase(), Duration.between(phase.approvalRequestedAt(), job.now())));
        }
        out.add(new Decision.PhaseStatusChange(phase.phase(), PhaseStatus.RUNNING));
        out.add(new Decision.Record(
                JobEventDraft.of(JobEventType.PHASE_STARTED, SYSTEM).phase(phase.phase())));
        return true;
    }

    private static void queue(Decisions.Builder out, StepSnapshot step, boolean urgent) {
        // A step already queued, leased or polling is left alone; one that is neither is (re)queued.
        if (step.status() != StepStatus.FAILED && !step.queuedOrLeased()) {
            out.add(new Decision.Queue(step.stepId(), urgent));
        }
    }

    /**
     * After a cancel or at the start of a rollback: no forward step starts any more. In-flight calls
     * still record what they did. In a rollback, a step under way that has a compensation (it
     * changes something, e.g. a file system being created) is left to finish and is then undone
     * like the others, rather than left half-done and forgotten; steps without one (waits, gates,
     * checks) stop at once.
     */
    Decisions abandon(Snapshot job, Input.Abandon abandon) {
        Decisions.Builder out = new Decisions.Builder();
        ObjectNode error =
                JsonNodeFactory.instance.objectNode().put("code", "ABANDONED").put("message", abandon.reason());
        for (StepSnapshot step : job.steps()) {
            if (step.status() == StepStatus.PENDING) {
                out.add(new Decision.Skip(step.stepId(), abandon.reason()));
            } else if (step.status() == StepStatus.RUNNING && !step.leased() && !finishesBeforeUndo(job, step)) {
                out.add(new Decision.Abandon(step.stepId(), error, null));
                out.add(new Decision.Record(JobEventDraft.of(JobEventType.STEP_ABANDONED, SYSTEM)
                        .step(step.phase(), step.stepId())
                        .reason(abandon.reason())));
            }
        }
        for (PhaseSnapshot phase : job.phases()) {
            if (phase.status() == PhaseStatus.PENDING || phase.status() == PhaseStatus.AWAITING_APPROVAL) {
                phaseEnds(out, phase, PhaseStatus.SKIPPED, JobEventType.PHASE_SKIPPED, abandon.reason());
            } else if (phase.status() == PhaseStatus.RUNNING && abandon.runningPhaseBecomes() == PhaseStatus.FAILED) {
                phaseEnds(out, phase, PhaseStatus.FAILED, JobEventType.PHASE_FAILED, abandon.reason());
            } else if (phase.status() == PhaseStatus.RUNNING && abandon.runningPhaseBecomes() != null) {
                out.add(new Decision.PhaseStatusChange(phase.phase(), abandon.runningPhaseBecomes()));
            }
        }
        return out.build();
    }

    /** A phase that will not run (on): its status, and the timeline says so, from what to what and why. */
    private static void phaseEnds(
            Decisions.Builder out, PhaseSnapshot phase, PhaseStatus to, JobEventType type, String reason) {
        out.add(new Decision.PhaseStatusChange(phase.phase(), to));
        out.add(new Decision.Record(JobEventDraft.of(type, SYSTEM)
                .phase(phase.phase())
                .states(phase.status(), to)
                .reason(reason)));
    }

    /** During a rollback, whether a forward step under way runs to its end so that it can be compensated. */
    static boolean finishesBeforeUndo(Snapshot job, StepSnapshot step) {
        return job.state() == JobState.ROLLING_BACK && step.status() == StepStatus.RUNNING && step.undoable();
    }

    static Duration since(Instant start, Instant now) {
        return Duration.between(start == null ? now : start, now);
    }
}
