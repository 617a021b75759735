package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.CanonicalJson;
import dev.ferry.plan.ParameterBinding;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.PlanNotFoundException;
import dev.ferry.plan.StepSpec;
import dev.ferry.plan.StoredPlan;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's commands on jobs: create, start, pause, resume, retry, skip a step, cancel.
 * Each is one {@link JobLocks#change} (state, audit event and any queued work commit together);
 * a command the lifecycle refuses is a 409 naming the current state and what is allowed.
 */
@Service
public class JobManagement {

    private final JobLocks locks;
    private final JobProgression progression;
    private final ResourceLocks resourceLocks;
    private final LockProperties lockProperties;
    private final ReadyWork readyWork;
    private final PlanCatalog plans;
    private final IdempotencyKeyRepository idempotencyKeys;
    private final SecretParameters secrets;
    private final RequestHashing hashing;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final LocalStepStarts localStarts;

    JobManagement(
            JobLocks locks,
            JobProgression progression,
            ResourceLocks resourceLocks,
            LockProperties lockProperties,
            ReadyWork readyWork,
            PlanCatalog plans,
            IdempotencyKeyRepository idempotencyKeys,
            PlatformTransactionManager transactionManager,
            ObjectMapper json,
            Clock clock,
            SecretParameters secrets,
            ObjectProvider<RequestHashing> hashing,
            LocalStepStarts localStarts) {
        this.localStarts = localStarts;
        this.secrets = secrets;
        this.hashing = hashing.getIfAvailable(() -> RequestHashing.UNKEYED);
        this.locks = locks;
        this.progression = progression;
        this.resourceLocks = resourceLocks;
        this.lockProperties = lockProperties;
        this.readyWork = readyWork;
        this.plans = plans;
        this.idempotencyKeys = idempotencyKeys;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.clock = clock;
    }

    /**
     * Creates a job in CREATED. With an idempotency key, the same key and request return the
     * job created the first time; the same key with another request is refused (422).
     */
    public CreatedJob create(NewJob request, Actor actor, String idempotencyKey) {
        StoredPlan plan = plans.find(request.plan(), request.planVersion())
                .orElseThrow(() -> new PlanNotFoundException(request.plan(), request.planVersion()));
        ObjectNode parameters = ParameterBinding.bind(
                plan.document(),
                request.parameters() == null ? JsonNodeFactory.instance.objectNode() : request.parameters());
        byte[] canonical = CanonicalJson.write(json.valueToTree(request)).getBytes(StandardCharsets.UTF_8);
        try {
            return transactions.execute(
                    status -> createOnce(plan, request, parameters, actor, idempotencyKey, canonical));
        } catch (DataIntegrityViolationException raced) {
            // A concurrent request with the same key won the insert: answer as its replay.
            return transactions.execute(
                    status -> replay(actor, idempotencyKey, canonical).orElseThrow(() -> raced));
        }
    }

    private CreatedJob createOnce(
            StoredPlan plan,
            NewJob request,
            ObjectNode parameters,
            Actor actor,
            String idempotencyKey,
            byte[] canonical) {
        if (idempotencyKey != null) {
            Optional<CreatedJob> existing = replay(actor, idempotencyKey, canonical);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        UUID id = UUID.randomUUID();
        MigrationJob job = new MigrationJob(
                id,
                request.name(),
                plan.id(),
                secrets.sealed(id, plan.document(), parameters),
                actor.name(),
                clock.instant());
        if (request.rehearsal()) {
            job.markRehearsal();
        }
        layOut(job, plan.document());
        locks.create(job, change -> {
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("plan", plan.name())
                    .put("planVersion", plan.version())
                    .put("planSha256", plan.sha256())
                    .put("rehearsal", job.rehearsal());
            JobEventDraft created = JobEventDraft.of(JobEventType.JOB_CREATED, actor.name())
                    .states(null, job.state())
                    .detail(detail);
            // The timeline says from its first line that this is a rehearsal, not the production run.
            change.record(
                    job.rehearsal()
                            ? created.reason("REHEARSAL: its phase durations become the expected "
                                    + "durations of production jobs of plan " + plan.name())
                            : created);
            return null;
        });
        if (idempotencyKey != null) {
            idempotencyKeys.saveAndFlush(new IdempotencyKey(
                    actor.name(), idempotencyKey, hashing.hash(canonical), job.id(), clock.instant()));
        }
        return new CreatedJob(job.id(), true);
    }

    private Optional<CreatedJob> replay(Actor actor, String key, byte[] canonical) {
        if (key == null) {
            return Optional.empty();
        }
        return idempotencyKeys
                .findById(new IdempotencyKey.Key(actor.name(), key))
                .map(found -> {
                    if (!hashing.matches(found.requestHash(), canonical)) {
                        throw new IdempotencyKeyReusedException(key, found.jobId());
                    }
                    return new CreatedJob(found.jobId(), false);
                });
    }

    /** One phase row per phase and one step row per step, so the whole job is visible from the start. */
    private static void layOut(MigrationJob job, PlanDocument plan) {
        int ordinal = 0;
        for (Phase phase : Phase.values()) {
            PhaseSpec spec = plan.phase(phase);
            int required = spec.requiresApproval() ? spec.approval().required() : 0;
            PhaseExecution execution = new PhaseExecution(
                    job, phase, spec.isEmpty() ? PhaseStatus.SKIPPED : PhaseStatus.PENDING, required);
            job.phases().add(execution);
            for (StepSpec step : spec.steps()) {
                job.steps()
                        .add(new StepExecution(
                                job,
                                execution,
                                step.id(),
                                ordinal++,
                                step.action(),
                                step.retry().maxAttempts(),
                                step.irreversible()));
            }
        }
    }

    /**
     * Starts the job; {@code first} runs in the same transaction before the start (a preflight's
     * report and its timeline entry), so both commit together or not at all. Returns {@code view}
     * of the job as the start left it, built in that transaction too (null without one). The
     * first step may run on this replica ({@link LocalStepStarts}).
     */
    public <V> V start(
            UUID jobId, Actor actor, String reason, Consumer<JobChange> first, Function<JobSnapshot, V> view) {
        return changeAndRunHere(
                jobId,
                change -> {
                    first.accept(change);
                    startLocked(change, actor, reason);
                },
                view);
    }

    /** A command that may queue a step; that step may run on this replica (routine slots only). */
    private <V> V changeAndRunHere(UUID jobId, Consumer<JobChange> command, Function<JobSnapshot, V> view) {
        return localStarts
                .change(
                        jobId,
                        false,
                        change -> {
                            command.accept(change);
                            return null;
                        },
                        view)
                .view();
    }

    private void startLocked(JobChange change, Actor actor, String reason) {
        change.transition(
                LifecycleEvent.START,
                JobEventDraft.of(JobEventType.JOB_STARTED, actor.name()).reason(reason));
        if (lockProperties.onConflict() == LockProperties.OnConflict.REFUSE) {
            // Refuse rather than wait: take every resource now, or fail the start (nothing is committed).
            UUID jobId = change.job().id();
            resourceLocks
                    .acquire(jobId, resourceLocks.resourcesOf(change.job(), Phase.PREPARE), change.now())
                    .ifPresent(c -> {
                        throw new ResourceLockedException(c.resource(), c.holder());
                    });
            change.job().resourcesLocked(change.now());
        }
        progression.advance(change);
    }

    public void pause(UUID jobId, Actor actor, String reason) {
        locks.change(
                jobId,
                change -> change.transition(
                        LifecycleEvent.PAUSE,
                        JobEventDraft.of(JobEventType.JOB_PAUSED, actor.name()).reason(reason)));
    }

    public void resume(UUID jobId, Actor actor, String reason) {
        changeAndRunHere(
                jobId,
                change -> {
                    change.transition(
                            LifecycleEvent.RESUME,
                            JobEventDraft.of(JobEventType.JOB_RESUMED, actor.name())
                                    .reason(reason));
                    progression.advance(change);
                },
                null);
    }

    /** Runs the failed step again, with a fresh budget of attempts. */
    public void retry(UUID jobId, Actor actor, String reason) {
        changeAndRunHere(
                jobId,
                change -> {
                    StepExecution failed = failedStep(change.job());
                    change.transition(
                            LifecycleEvent.RETRY,
                            JobEventDraft.of(JobEventType.JOB_RETRIED, actor.name())
                                    .step(
                                            failed == null ? null : failed.phase(),
                                            failed == null ? null : failed.stepId())
                                    .reason(reason));
                    if (failed != null) {
                        StoredPlan plan = plans.findById(change.job().planId()).orElseThrow();
                        int budget = plan.document()
                                .step(failed.stepId())
                                .map(s -> s.retry().maxAttempts())
                                .orElse(1);
                        failed.retry(budget, change.now());
                        change.chain(failed); // queued by retry itself, so leased here rather than by a Queue decision
                        change.job().phase(failed.phase()).ifPresent(p -> p.status(PhaseStatus.RUNNING, change.now()));
                    }
                    change.job().lastError(null);
                    progression.advance(change);
                },
                null);
    }

    /** Skips a failed step (the operator did it by hand, or it does not matter), then goes on. */
    public void skipStep(UUID jobId, String stepId, Actor actor, String reason) {
        changeAndRunHere(
                jobId,
                change -> {
                    StepExecution step =
                            change.job().step(stepId).orElseThrow(() -> new StepNotFoundException(jobId, stepId));
                    if (step.status() != StepStatus.FAILED) {
                        throw new StepNotFailedException(stepId, step.status());
                    }
                    change.transition(
                            LifecycleEvent.SKIP_STEP,
                            JobEventDraft.of(JobEventType.JOB_RESUMED, actor.name())
                                    .step(step.phase(), stepId)
                                    .reason("step skipped: " + reason));
                    step.skip(reason, change.now());
                    change.record(JobEventDraft.of(JobEventType.STEP_SKIPPED, actor.name())
                            .step(step.phase(), stepId)
                            .reason(reason));
                    change.job().phase(step.phase()).ifPresent(p -> p.status(PhaseStatus.RUNNING, change.now()));
                    change.job().lastError(null);
                    progression.advance(change);
                },
                null);
    }

    /**
     * Moves a phase's not-before time earlier or later (the operator shortens or extends the
     * wait); a job waiting for it wakes at the new time.
     */
    public void reschedule(UUID jobId, Phase phase, Instant at, Actor actor, String reason) {
        locks.change(jobId, change -> {
            PhaseExecution execution = change.job().phase(phase).orElseThrow();
            if (execution.status() != PhaseStatus.PENDING
                    || change.job().state().isTerminal()) {
                throw new PhaseAlreadyStartedException(phase, execution.status());
            }
            Instant before = execution.earliestStart();
            execution.earliestStart(at);
            change.record(JobEventDraft.of(JobEventType.TIMER_CHANGED, actor.name())
                    .phase(phase)
                    .reason(reason)
                    .states(before, at));
            JsonNode waitingFor = change.job().waitingFor();
            if (change.job().state() == JobState.WAITING
                    && waitingFor != null
                    && "notBefore".equals(waitingFor.path("kind").asText())
                    && phase.name().equals(waitingFor.path("phase").asText())) {
                change.job().waitUntil(at, waitingFor);
                readyWork.announce();
            }
            return null;
        });
    }

    /** Runs a compensation that failed for good again, with a fresh budget of attempts. */
    public void retryCompensation(UUID jobId, String stepId, Actor actor, String reason) {
        changeAndRunHere(
                jobId,
                change -> {
                    StepExecution step = stuckCompensation(change, stepId);
                    int budget = plans.findById(change.job().planId())
                            .orElseThrow()
                            .document()
                            .step(stepId)
                            .map(s -> s.retry().maxAttempts())
                            .orElse(1);
                    step.startCompensation(budget, change.now());
                    change.job().lastError(null);
                    change.record(JobEventDraft.of(JobEventType.JOB_RETRIED, actor.name())
                            .step(step.phase(), stepId)
                            .reason(reason == null ? "compensation retried" : reason));
                    if (!change.chain(step)) {
                        readyWork.announce();
                    }
                },
                null);
    }

    /** Records that a person undid the step by hand (who and why), so the rollback can go on. */
    public void markCompensated(UUID jobId, String stepId, Actor actor, String reason) {
        changeAndRunHere(
                jobId,
                change -> {
                    StepExecution step = stuckCompensation(change, stepId);
                    step.compensated(
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("manual", true)
                                    .put("by", actor.name())
                                    .put("reason", reason),
                            change.now());
                    change.record(JobEventDraft.of(JobEventType.STEP_COMPENSATED, actor.name())
                            .step(step.phase(), stepId)
                            .reason("compensated by hand: " + reason));
                    change.job().lastError(null);
                    progression.advance(change);
                },
                null);
    }

    private static StepExecution stuckCompensation(JobChange change, String stepId) {
        StepExecution step = change.job()
                .step(stepId)
                .orElseThrow(() -> new StepNotFoundException(change.job().id(), stepId));
        if (change.job().state() != JobState.ROLLING_BACK
                || step.status() != StepStatus.COMPENSATING
                || step.error() == null
                || step.isQueuedOrLeased()) {
            throw new CompensationNotStuckException(
                    stepId, step.status(), change.job().state());
        }
        return step;
    }

    public void cancel(UUID jobId, Actor actor, String reason) {
        locks.change(jobId, change -> {
            change.transition(
                    LifecycleEvent.CANCEL,
                    JobEventDraft.of(JobEventType.JOB_CANCELLED, actor.name()).reason(reason));
            progression.abandon(change, reason == null ? "cancelled by " + actor.name() : reason, PhaseStatus.FAILED);
            return null;
        });
    }

    private static StepExecution failedStep(MigrationJob job) {
        return job.steps().stream()
                .filter(s -> s.status() == StepStatus.FAILED)
                .findFirst()
                .orElse(null);
    }
}
