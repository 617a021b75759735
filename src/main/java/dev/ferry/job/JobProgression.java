package dev.ferry.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StepSpec;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Decides what a running job does next: request a phase's approval, start a phase, queue its next
 * step, close finished phases, or complete the job. Runs inside a {@link JobChange}, after every
 * change that may let the job move on, and is idempotent: calling it twice changes nothing more.
 */
@Component
public class JobProgression {

    private final ApprovalQuorum quorum;
    private final ReadyWork readyWork;
    private final Compensations compensations;
    private final ResourceLocks resourceLocks;
    private final LockProperties lockProperties;
    private final PlanCatalog plans;
    private final FerryMetrics metrics;

    JobProgression(ApprovalQuorum quorum, ReadyWork readyWork, Compensations compensations,
            ResourceLocks resourceLocks, LockProperties lockProperties, PlanCatalog plans, FerryMetrics metrics) {
        this.plans = plans;
        this.metrics = metrics;
        this.quorum = quorum;
        this.readyWork = readyWork;
        this.compensations = compensations;
        this.resourceLocks = resourceLocks;
        this.lockProperties = lockProperties;
    }

    public void advance(JobChange change) {
        MigrationJob job = change.job();
        if (job.state() == JobState.ROLLING_BACK) {
            compensations.advance(change);
            return;
        }
        if (job.state() != JobState.RUNNING) {
            return;
        }
        for (PhaseExecution phase : job.phases()) {
            if (phase.status().isDone()) {
                continue;
            }
            job.currentPhase(phase.phase());
            if (phase.phase().compareTo(Phase.FREEZE) >= 0 && !lockResources(change)) {
                return;
            }
            if (!enter(change, phase)) {
                return;
            }
            StepExecution next = job.stepsOf(phase.phase()).stream()
                    .filter(s -> !s.status().isDone())
                    .findFirst()
                    .orElse(null);
            if (next != null) {
                if (outsideWindow(change, phase, next)) {
                    return;
                }
                // The first step after an approval: an approver is watching for it to start.
                boolean awaited = phase.requiresApproval() && job.stepsOf(phase.phase()).get(0) == next;
                queue(change, next, awaited);
                return;
            }
            phase.status(PhaseStatus.SUCCEEDED, change.now());
            change.record(JobEventDraft.of(JobEventType.PHASE_SUCCEEDED, Actor.SYSTEM.name()).phase(phase.phase()));
            metrics.phaseFinished(planName(job), phase.phase().name(), "succeeded",
                    Duration.between(phase.startedAt(), change.now()));
        }
        change.transition(LifecycleEvent.COMPLETE, JobEventDraft.of(JobEventType.JOB_SUCCEEDED, Actor.SYSTEM.name()));
    }

    /**
     * From FREEZE on, the job holds the AWS resources it changes. If another job holds one, this
     * job waits (WAITING, naming the holder) and looks again when locks are released.
     */
    boolean lockResources(JobChange change) {
        MigrationJob job = change.job();
        if (job.resourcesLockedAt() != null) {
            return true;
        }
        java.util.Set<String> resources = resourceLocks.resourcesOf(job, Phase.FREEZE);
        java.util.Optional<ResourceLocks.Conflict> conflict = resourceLocks.acquire(job.id(), resources, change.now());
        if (conflict.isPresent()) {
            ObjectNode waitingFor = JsonNodeFactory.instance.objectNode().put("kind", "resources")
                    .put("resource", conflict.get().resource()).put("heldBy", conflict.get().holder().toString());
            job.waitUntil(change.now().plus(lockProperties.retry()), waitingFor);
            change.transition(LifecycleEvent.WAIT, JobEventDraft.of(JobEventType.JOB_WAITING, Actor.SYSTEM.name())
                    .reason("resource " + conflict.get().resource() + " is held by job " + conflict.get().holder())
                    .detail(waitingFor));
            return false;
        }
        job.resourcesLocked(change.now());
        if (!resources.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode list = JsonNodeFactory.instance.arrayNode();
            resources.forEach(list::add);
            change.record(JobEventDraft.of(JobEventType.RESOURCES_LOCKED, Actor.SYSTEM.name())
                    .detail(JsonNodeFactory.instance.objectNode().set("resources", list)));
        }
        return true;
    }

    /** Gets {@code phase} to RUNNING if it may run now; false when the job has to wait or stop. */
    private boolean enter(JobChange change, PhaseExecution phase) {
        switch (phase.status()) {
            case RUNNING:
                return true;
            case PENDING, REJECTED:
                if (tooEarly(change, phase)) {
                    return false;
                }
                if (phase.requiresApproval()) {
                    requestApproval(change, phase);
                    return false;
                }
                if (windowClosed(change, phase)) {
                    return false;
                }
                start(change, phase);
                return true;
            case AWAITING_APPROVAL:
                // Approvals may have arrived while the job was paused, or expired while it waited for its window.
                if (quorum.reached(phase, change.now())) {
                    if (windowClosed(change, phase)) {
                        return false;
                    }
                    start(change, phase);
                    return true;
                }
                change.transition(LifecycleEvent.AWAIT_APPROVAL,
                        JobEventDraft.of(JobEventType.JOB_AWAITING_APPROVAL, Actor.SYSTEM.name()).phase(phase.phase()));
                return false;
            default:
                // FAILED: the job is paused until an operator retries or skips the step.
                return false;
        }
    }

    /** notBefore: the phase waits until a delay after an earlier phase ended (fixed once, then only by an operator). */
    private boolean tooEarly(JobChange change, PhaseExecution phase) {
        NotBefore notBefore = spec(change.job(), phase).notBefore();
        if (notBefore == null) {
            return false;
        }
        if (phase.earliestStart() == null) {
            Instant ended = change.job().phase(notBefore.after()).map(PhaseExecution::finishedAt).orElse(null);
            phase.earliestStart((ended == null ? change.now() : ended).plus(notBefore.delay()));
        }
        if (!change.now().isBefore(phase.earliestStart())) {
            return false;
        }
        waitUntil(change, phase.earliestStart(), JsonNodeFactory.instance.objectNode().put("kind", "notBefore")
                .put("phase", phase.phase().name()).put("after", notBefore.after().name())
                .put("delay", notBefore.delay().toString()), "phase " + phase.phase() + " may not start before "
                + phase.earliestStart());
        return true;
    }

    /** A maintenance window: an approved phase starts only while it is open. */
    private boolean windowClosed(JobChange change, PhaseExecution phase) {
        MaintenanceWindow window = spec(change.job(), phase).window();
        if (window == null || window.isOpen(change.now())) {
            return false;
        }
        Instant opens = window.nextOpening(change.now());
        waitUntil(change, opens, JsonNodeFactory.instance.objectNode().put("kind", "window")
                .put("phase", phase.phase().name()).put("opensAt", opens.toString()), "phase " + phase.phase()
                + " waits for its maintenance window, opening " + opens);
        return true;
    }

    /**
     * In a phase with a maintenance window a step starts only while the window is open and, when
     * the plan gives an {@code estimate}, only if it can finish before the window closes; otherwise
     * the job waits for the next opening rather than start a change it cannot finish in time.
     */
    private boolean outsideWindow(JobChange change, PhaseExecution phase, StepExecution next) {
        MaintenanceWindow window = spec(change.job(), phase).window();
        if (window == null || next.status() != StepStatus.PENDING) {
            return false;
        }
        Instant now = change.now();
        Duration estimate = plans.findById(change.job().planId()).orElseThrow().document()
                .step(next.stepId()).map(StepSpec::estimate).orElse(null);
        if (window.isOpen(now) && (estimate == null || !now.plus(estimate).isAfter(window.closing(now)))) {
            return false;
        }
        Instant closes = window.isOpen(now) ? window.closing(now) : now;
        Instant opens = window.nextOpening(closes);
        ObjectNode waitingFor = JsonNodeFactory.instance.objectNode().put("kind", "window")
                .put("phase", phase.phase().name()).put("opensAt", opens.toString()).put("step", next.stepId());
        String why;
        if (window.isOpen(now)) {
            waitingFor.put("estimate", estimate.toString()).put("closesAt", closes.toString());
            why = "step " + next.stepId() + " (estimate " + estimate + ") cannot finish before the window closes at "
                    + closes;
        } else {
            why = "the maintenance window closed before step " + next.stepId() + " could start";
        }
        waitUntil(change, opens, waitingFor, why + "; waiting for the next opening at " + opens);
        return true;
    }

    private static void waitUntil(JobChange change, Instant at, ObjectNode waitingFor, String reason) {
        change.job().waitUntil(at, waitingFor);
        change.transition(LifecycleEvent.WAIT, JobEventDraft.of(JobEventType.JOB_WAITING, Actor.SYSTEM.name())
                .reason(reason).detail(waitingFor.deepCopy().put("wakeAt", at.toString())));
    }

    /** During a rollback, whether a forward step under way runs to its end so that it can be compensated. */
    boolean finishesBeforeUndo(JobChange change, StepExecution step) {
        return change.job().state() == JobState.ROLLING_BACK && step.status() == StepStatus.RUNNING
                && compensations.undoable(plans.findById(change.job().planId()).orElseThrow().document()
                        .step(step.stepId()).orElse(null));
    }

    private String planName(MigrationJob job) {
        return plans.findById(job.planId()).orElseThrow().name();
    }

    private PhaseSpec spec(MigrationJob job, PhaseExecution phase) {
        return plans.findById(job.planId()).orElseThrow().document().phase(phase.phase());
    }

    private void requestApproval(JobChange change, PhaseExecution phase) {
        phase.requestApproval(change.now());
        ObjectNode detail = JsonNodeFactory.instance.objectNode()
                .put("required", phase.approvalsRequired())
                .put("round", phase.approvalRound());
        change.record(JobEventDraft.of(JobEventType.PHASE_AWAITING_APPROVAL, Actor.SYSTEM.name())
                .phase(phase.phase()).detail(detail));
        change.transition(LifecycleEvent.AWAIT_APPROVAL,
                JobEventDraft.of(JobEventType.JOB_AWAITING_APPROVAL, Actor.SYSTEM.name()).phase(phase.phase()));
    }

    private void start(JobChange change, PhaseExecution phase) {
        if (phase.approvalRequestedAt() != null) {
            metrics.approvalWaited(planName(change.job()), phase.phase().name(),
                    Duration.between(phase.approvalRequestedAt(), change.now()));
        }
        phase.status(PhaseStatus.RUNNING, change.now());
        change.record(JobEventDraft.of(JobEventType.PHASE_STARTED, Actor.SYSTEM.name()).phase(phase.phase()));
    }

    private void queue(JobChange change, StepExecution step, boolean urgent) {
        // A step already queued, leased or polling is left alone; one that is neither is (re)queued.
        if (step.status() != StepStatus.FAILED && !step.isQueuedOrLeased()) {
            if (urgent) {
                step.scheduleUrgently(change.now());
            } else {
                step.schedule(change.now());
            }
            readyWork.announce();
        }
    }

    /**
     * After a cancel or at the start of a rollback: no forward step starts any more. In-flight calls
     * still record what they did. In a rollback, a step under way that has a compensation (it
     * changes something, e.g. a file system being created) is left to finish and is then undone
     * like the others, rather than left half-done and forgotten; steps without one (waits, gates,
     * checks) stop at once.
     *
     * @param runningPhaseBecomes the new status of the phase under way, or null to leave it
     */
    public void abandon(JobChange change, String reason, PhaseStatus runningPhaseBecomes) {
        MigrationJob job = change.job();
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("code", "ABANDONED").put("message", reason);
        for (StepExecution step : job.steps()) {
            if (step.status() == StepStatus.PENDING) {
                step.skip(reason, change.now());
            } else if (step.status() == StepStatus.RUNNING && step.leaseOwner() == null
                    && !finishesBeforeUndo(change, step)) {
                step.abandon(error, change.now());
                change.record(JobEventDraft.of(JobEventType.STEP_ABANDONED, Actor.SYSTEM.name())
                        .step(step.phase(), step.stepId()).reason(reason));
            }
        }
        for (PhaseExecution phase : job.phases()) {
            if (phase.status() == PhaseStatus.PENDING || phase.status() == PhaseStatus.AWAITING_APPROVAL) {
                phase.status(PhaseStatus.SKIPPED, change.now());
            } else if (phase.status() == PhaseStatus.RUNNING && runningPhaseBecomes != null) {
                phase.status(runningPhaseBecomes, change.now());
            }
        }
    }
}
