package dev.ferry.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.engine.Decision;
import dev.ferry.engine.Decisions;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies the engine's {@link Decisions} to a locked job, in order, inside its {@link JobChange}:
 * the entities change, events are appended, work is announced, metrics are counted.
 */
@Component
class DecisionWriter {

    private static final Logger log = LoggerFactory.getLogger(DecisionWriter.class);

    private final ReadyWork readyWork;
    private final ResourceLocks resourceLocks;
    private final LockProperties lockProperties;
    private final PlanCatalog plans;
    private final FerryMetrics metrics;

    DecisionWriter(
            ReadyWork readyWork,
            ResourceLocks resourceLocks,
            LockProperties lockProperties,
            PlanCatalog plans,
            FerryMetrics metrics) {
        this.readyWork = readyWork;
        this.resourceLocks = resourceLocks;
        this.lockProperties = lockProperties;
        this.plans = plans;
        this.metrics = metrics;
    }

    void apply(JobChange change, Decisions decisions) {
        for (Decision decision : decisions.changes()) {
            if (!applyToJob(change, decision) && !applyToStep(change, decision)) {
                measure(change, decision);
            }
        }
    }

    private boolean applyToJob(JobChange change, Decision decision) {
        MigrationJob job = change.job();
        if (decision instanceof Decision.Record record) {
            change.record(record.event());
        } else if (decision instanceof Decision.Transition transition) {
            change.transition(transition.event(), transition.draft());
        } else if (decision instanceof Decision.CurrentPhase current) {
            job.currentPhase(current.phase());
        } else if (decision instanceof Decision.WaitUntil wait) {
            job.waitUntil(wait.at(), wait.waitingFor());
        } else if (decision instanceof Decision.LockResources) {
            lockResources(change);
        } else if (decision instanceof Decision.LastError error) {
            job.lastError(error.message());
        } else if (decision instanceof Decision.PhaseStatusChange status) {
            phase(job, status.phase()).status(status.status(), change.now());
        } else if (decision instanceof Decision.RequestApproval request) {
            phase(job, request.phase()).requestApproval(change.now());
        } else if (decision instanceof Decision.EarliestStart earliest) {
            phase(job, earliest.phase()).earliestStart(earliest.at());
        } else {
            return false;
        }
        return true;
    }

    private boolean applyToStep(JobChange change, Decision decision) {
        MigrationJob job = change.job();
        if (decision instanceof Decision.Call) {
            return true;
        } else if (decision instanceof Decision.ReleaseLease release) {
            step(job, release.stepId()).releaseLease();
        } else if (decision instanceof Decision.BeginAttempt begin) {
            step(job, begin.stepId()).beginAttempt(change.now(), begin.deadline());
        } else if (decision instanceof Decision.Succeed ok) {
            step(job, ok.stepId()).succeed(ok.output(), change.now());
        } else if (decision instanceof Decision.Compensated done) {
            step(job, done.stepId()).compensated(done.output(), change.now());
        } else if (decision instanceof Decision.Poll poll) {
            step(job, poll.stepId()).progress(poll.progress(), poll.message(), poll.at());
        } else if (decision instanceof Decision.Abandon abandon) {
            step(job, abandon.stepId())
                    .abandon(StepExecution.withCallsSoFar(abandon.error(), abandon.latest()), change.now());
        } else if (decision instanceof Decision.FailAttempt failed) {
            StepExecution step = step(job, failed.stepId());
            step.failAttempt(failed.error(), failed.retryAt(), change.now());
            if (failed.retryAt() == null) {
                log.warn(
                        "Step {} of phase {} failed for good after {} attempt(s): {}: {}",
                        step.stepId(),
                        step.phase(),
                        step.attempt(),
                        failed.error().path("code").asText(),
                        failed.error().path("message").asText());
            }
        } else if (decision instanceof Decision.CompensationFailed failed) {
            step(job, failed.stepId()).compensationFailed(failed.error());
        } else if (decision instanceof Decision.Skip skip) {
            step(job, skip.stepId()).skip(skip.reason(), change.now());
        } else if (decision instanceof Decision.Queue queue) {
            StepExecution step = step(job, queue.stepId());
            if (change.chain(step)) {
                return true;
            }
            if (queue.urgent()) {
                step.scheduleUrgently(change.now());
            } else {
                step.schedule(change.now());
            }
            readyWork.announce(queue.urgent());
        } else if (decision instanceof Decision.StartCompensation start) {
            StepExecution step = step(job, start.stepId());
            step.startCompensation(start.attempts(), change.now());
            if (!change.chain(step)) {
                // A rollback is urgent work: workers running chains of routine steps make room.
                readyWork.announce(true);
            }
        } else {
            return false;
        }
        return true;
    }

    private void measure(JobChange change, Decision decision) {
        String plan = plans.findById(change.job().planId()).orElseThrow().name();
        if (decision instanceof Decision.StepMeasured step) {
            metrics.stepFinished(plan, step.phase().name(), step.action(), step.outcome(), step.took());
        } else if (decision instanceof Decision.PhaseMeasured phase) {
            metrics.phaseFinished(plan, phase.phase().name(), phase.outcome(), phase.took());
        } else if (decision instanceof Decision.ApprovalWaited waited) {
            metrics.approvalWaited(plan, waited.phase().name(), waited.waited());
        } else if (decision instanceof Decision.RollbackStarted rollback) {
            metrics.rollbackStarted(rollback.trigger());
        } else {
            throw new IllegalStateException("no writer for " + decision);
        }
    }

    /**
     * From FREEZE on, the job holds the AWS resources it changes. If another job holds one, this
     * job waits (WAITING, naming the holder) and looks again when locks are released.
     */
    private void lockResources(JobChange change) {
        MigrationJob job = change.job();
        Set<String> resources = resourceLocks.resourcesOf(job, Phase.FREEZE);
        Optional<ResourceLocks.Conflict> conflict = resourceLocks.acquire(job.id(), resources, change.now());
        if (conflict.isPresent()) {
            ObjectNode waitingFor = JsonNodeFactory.instance
                    .objectNode()
                    .put("kind", "resources")
                    .put("resource", conflict.get().resource())
                    .put("heldBy", conflict.get().holder().toString());
            job.waitUntil(change.now().plus(lockProperties.retry()), waitingFor);
            change.transition(
                    LifecycleEvent.WAIT,
                    JobEventDraft.of(JobEventType.JOB_WAITING, Actor.SYSTEM.name())
                            .reason("resource " + conflict.get().resource() + " is held by job "
                                    + conflict.get().holder())
                            .detail(waitingFor));
            return;
        }
        job.resourcesLocked(change.now());
        if (!resources.isEmpty()) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            resources.forEach(list::add);
            change.record(JobEventDraft.of(JobEventType.RESOURCES_LOCKED, Actor.SYSTEM.name())
                    .detail(JsonNodeFactory.instance.objectNode().set("resources", list)));
        }
    }

    private static PhaseExecution phase(MigrationJob job, Phase phase) {
        return job.phase(phase)
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " has no phase " + phase));
    }

    private static StepExecution step(MigrationJob job, String stepId) {
        return job.step(stepId)
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " has no step " + stepId));
    }
}
