package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.ActionResult;
import dev.ferry.action.ParameterSchemas;
import dev.ferry.action.local.GateAction;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.StepSpec;
import dev.ferry.plan.Template;
import dev.ferry.plan.TemplateException;
import dev.ferry.plan.TemplateScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The two transactions around a worker's call: {@link #begin} (check the lease, start an attempt,
 * resolve parameters) and {@link #finish} (record the result, fenced by lease owner and token, and
 * let the job move on). The call itself runs between them, outside any transaction.
 */
@Component
public class StepRuns {

    private static final Logger log = LoggerFactory.getLogger(StepRuns.class);
    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofHours(1);

    private final JobLocks locks;
    private final JobProgression progression;
    private final PlanCatalog plans;
    private final ActionRegistry actions;
    private final ParameterSchemas schemas;
    private final FerryMetrics metrics;
    private final SecretParameters secretParameters;

    StepRuns(JobLocks locks, JobProgression progression, PlanCatalog plans, ActionRegistry actions,
            ParameterSchemas schemas, FerryMetrics metrics, SecretParameters secretParameters) {
        this.metrics = metrics;
        this.secretParameters = secretParameters;
        this.locks = locks;
        this.progression = progression;
        this.plans = plans;
        this.actions = actions;
        this.schemas = schemas;
    }

    /** Empty when the worker must not call anything (lease lost, job not running, step failed here). */
    public Optional<StepCall> begin(ClaimedStep claim) {
        return locks.change(claim.jobId(), change -> {
            StepExecution step = stepOf(change, claim);
            if (step == null) {
                return Optional.empty();
            }
            boolean undo = step.status() == StepStatus.COMPENSATING;
            JobState state = change.job().state();
            boolean mayRun = undo ? state == JobState.ROLLING_BACK
                    : state == JobState.RUNNING || progression.finishesBeforeUndo(change, step);
            if (!mayRun) {
                if (!undo && state == JobState.ROLLING_BACK) {
                    stopForRollback(change, step, null);
                    return Optional.empty();
                }
                // Paused or cancelled since the claim: hand the step back; progression re-queues it.
                step.releaseLease();
                return Optional.empty();
            }
            StepSpec spec = spec(change.job(), step);
            if (step.attemptStartedAt() == null) {
                Instant deadline = spec.timeout() == null ? null : change.now().plus(spec.timeout());
                step.beginAttempt(change.now(), deadline);
                change.record(JobEventDraft.of(undo ? JobEventType.STEP_COMPENSATION_STARTED : JobEventType.STEP_STARTED,
                                Actor.SYSTEM.name())
                        .step(step.phase(), step.stepId())
                        .detail(JsonNodeFactory.instance.objectNode().put("attempt", step.attempt())
                                .put("action", step.action()).put("worker", claim.owner())));
            }
            // A plan's own compensation is another action run forward; otherwise the handler undoes itself.
            boolean planned = undo && spec.compensate() != null;
            String action = planned ? spec.compensate().action() : step.action();
            JsonNode template = planned ? spec.compensate().with() : spec.with();
            Optional<ActionHandler> handler = actions.find(action);
            if (handler.isEmpty()) {
                fail(change, step, ActionResult.failed(false, "UNKNOWN_ACTION", "no handler for " + action));
                return Optional.empty();
            }
            JsonNode parameters;
            try {
                parameters = template == null ? JsonNodeFactory.instance.objectNode()
                        : Template.resolve(template, scope(change.job()));
            } catch (TemplateException e) {
                fail(change, step, ActionResult.failed(false, "TEMPLATE_UNRESOLVED", e.getMessage()));
                return Optional.empty();
            } catch (IllegalStateException sealed) {
                fail(change, step, ActionResult.failed(false, "SECRET_UNAVAILABLE", sealed.getMessage()));
                return Optional.empty();
            }
            List<ValidationMessage> invalid = schemas.validate(handler.get(), parameters);
            if (!invalid.isEmpty()) {
                fail(change, step, ActionResult.failed(false, "INVALID_PARAMETERS", invalid.get(0).getMessage()));
                return Optional.empty();
            }
            ObjectNode progress = step.progress() instanceof ObjectNode p ? p.deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            String token = idempotencyToken(change.job(), step) + (undo ? "-undo" : "");
            ActionContext context = new ActionContext(change.job().id(), step.stepId(), step.attempt(), parameters,
                    progress, undo ? step.output() : null, token, step.attemptStartedAt(), change.now());
            return Optional.of(new StepCall(claim, handler.get(), context, undo && !planned, step.phase()));
        });
    }

    /** Records what the call came to; a worker that lost its lease writes nothing. */
    public void finish(ClaimedStep claim, ActionResult result) {
        locks.change(claim.jobId(), change -> {
            StepExecution step = stepOf(change, claim);
            if (step == null) {
                return null;
            }
            ActionResult outcome = secrets(change.job()).scrub(timedOut(step, result, change.now()));
            // Java 17: no pattern matching for switch yet.
            if (outcome instanceof ActionResult.Succeeded ok) {
                succeed(change, step, ok);
            } else if (outcome instanceof ActionResult.InProgress more) {
                boolean stopsForRollback = change.job().state() == JobState.ROLLING_BACK
                        && step.status() != StepStatus.COMPENSATING && !progression.finishesBeforeUndo(change, step);
                if (stopsForRollback) {
                    stopForRollback(change, step, more.progress());
                } else if (change.job().state().isTerminal()) {
                    step.abandon(StepExecution.withCallsSoFar(error("CANCELLED", "job ended while the step was in"
                            + " progress", false, step), more.progress()), change.now());
                } else {
                    step.progress(more.progress(), more.message(), change.now().plus(clamp(more.pollAfter())));
                }
            } else if (outcome instanceof ActionResult.Failed failed) {
                fail(change, step, failed);
            }
            return null;
        });
    }

    /** A forward step with nothing to undo stops where it is, and the rollback goes on without it. */
    /** @param latest the progress the last call returned, when newer than the step's */
    private void stopForRollback(JobChange change, StepExecution step, JsonNode latest) {
        step.abandon(StepExecution.withCallsSoFar(error("ABANDONED", "the job is rolling back", false, step),
                latest), change.now());
        change.record(JobEventDraft.of(JobEventType.STEP_ABANDONED, Actor.SYSTEM.name())
                .step(step.phase(), step.stepId()).reason("the job is rolling back"));
        progression.advance(change);
    }

    private StepExecution stepOf(JobChange change, ClaimedStep claim) {
        StepExecution step = change.job().steps().stream()
                .filter(s -> s.id().equals(claim.stepId()))
                .findFirst()
                .orElse(null);
        if (step == null || !step.holdsLease(claim.owner(), claim.token())) {
            log.warn("Worker {} lost its lease on step {} of job {}; its result is dropped",
                    claim.owner(), claim.stepId(), claim.jobId());
            return null;
        }
        return step;
    }

    private void succeed(JobChange change, StepExecution step, ActionResult.Succeeded ok) {
        if (step.status() == StepStatus.COMPENSATING) {
            step.compensated(ok.output(), change.now());
            change.record(JobEventDraft.of(JobEventType.STEP_COMPENSATED, Actor.SYSTEM.name())
                    .step(step.phase(), step.stepId()));
            progression.advance(change);
            return;
        }
        step.succeed(ok.output(), change.now());
        metrics.stepFinished(planName(change.job()), step.phase().name(), step.action(), "succeeded",
                Duration.between(step.startedAt(), change.now()));
        change.record(JobEventDraft.of(JobEventType.STEP_SUCCEEDED, Actor.SYSTEM.name())
                .step(step.phase(), step.stepId())
                .detail(JsonNodeFactory.instance.objectNode().put("attempt", step.attempt())));
        progression.advance(change);
    }

    private void fail(JobChange change, StepExecution step, ActionResult.Failed given) {
        // Every failure passes here, also those found before the call (templates, schemas), which may quote values.
        ActionResult.Failed failed = (ActionResult.Failed) secrets(change.job()).scrub(given);
        ObjectNode error = error(failed.code(), failed.message(), failed.retryable(), step);
        if (failed.detail() != null && !failed.detail().isEmpty()) {
            error.set("detail", failed.detail());
        }
        StepSpec spec = spec(change.job(), step);
        boolean forwardDuringRollback = change.job().state() == JobState.ROLLING_BACK
                && step.status() != StepStatus.COMPENSATING;
        if (forwardDuringRollback) {
            // A step left to finish during a rollback failed: no retry (the job is going back), and
            // the saga goes on with the steps that did complete.
            step.failAttempt(error, null, change.now());
            change.record(JobEventDraft.of(JobEventType.STEP_FAILED, Actor.SYSTEM.name())
                    .step(step.phase(), step.stepId()).reason(failed.message()).detail(error));
            progression.advance(change);
            return;
        }
        if (failed.retryable() && step.attempt() < step.maxAttempts() && !change.job().state().isTerminal()) {
            Instant retryAt = change.now().plus(spec.retry().delayAfter(step.attempt()));
            step.failAttempt(error, retryAt, change.now());
            change.record(JobEventDraft.of(JobEventType.STEP_ATTEMPT_FAILED, Actor.SYSTEM.name())
                    .step(step.phase(), step.stepId()).reason(failed.message())
                    .detail(error.deepCopy().put("retryAt", retryAt.toString())));
            return;
        }
        if (step.status() == StepStatus.COMPENSATING) {
            step.compensationFailed(error);
            change.record(JobEventDraft.of(JobEventType.STEP_COMPENSATION_FAILED, Actor.SYSTEM.name())
                    .step(step.phase(), step.stepId()).reason(failed.message()).detail(error));
            change.job().lastError("compensation of " + step.stepId() + " failed: " + failed.code() + ": "
                    + failed.message());
            return;
        }
        step.failAttempt(error, null, change.now());
        change.record(JobEventDraft.of(JobEventType.STEP_FAILED, Actor.SYSTEM.name())
                .step(step.phase(), step.stepId()).reason(failed.message()).detail(error));
        String plan = planName(change.job());
        metrics.stepFinished(plan, step.phase().name(), step.action(), "failed",
                Duration.between(step.startedAt() == null ? change.now() : step.startedAt(), change.now()));
        change.job().phase(step.phase()).ifPresent(p -> {
            p.status(PhaseStatus.FAILED, change.now());
            metrics.phaseFinished(plan, p.phase().name(), "failed", Duration.between(p.startedAt(), change.now()));
        });
        String summary = "step " + step.stepId() + " failed: " + failed.code() + ": " + failed.message();
        log.warn("Step {} of phase {} failed for good after {} attempt(s): {}: {}", step.stepId(), step.phase(),
                step.attempt(), failed.code(), failed.message());
        change.job().lastError(summary);
        // A gate with onFailure: rollback undoes the job at once, unless it only lacked data (a person decides then).
        if (spec.rollbackOnFailure() && !GateAction.INCONCLUSIVE.equals(failed.code())
                && change.tryTransition(LifecycleEvent.ROLLBACK, JobEventDraft.of(JobEventType.ROLLBACK_REQUESTED,
                        Actor.SYSTEM.name()).step(step.phase(), step.stepId()).reason(summary))) {
            metrics.rollbackStarted(GateAction.NAME.equals(spec.action()) ? "observe-gate" : "step-failure");
            progression.abandon(change, "rolled back: " + summary, null);
            progression.advance(change);
            return;
        }
        change.tryTransition(LifecycleEvent.STEP_FAILED,
                JobEventDraft.of(JobEventType.JOB_PAUSED, Actor.SYSTEM.name()).step(step.phase(), step.stepId())
                        .reason(summary));
    }

    /** A poll past the step's deadline is a failed attempt, however the handler saw it. */
    private static ActionResult timedOut(StepExecution step, ActionResult result, Instant now) {
        if (result instanceof ActionResult.InProgress && step.deadlineAt() != null && !now.isBefore(step.deadlineAt())) {
            return ActionResult.failed(true, "TIMEOUT", "step did not finish before its timeout ("
                    + step.deadlineAt() + ")");
        }
        return result;
    }

    private static ObjectNode error(String code, String message, boolean retryable, StepExecution step) {
        return JsonNodeFactory.instance.objectNode()
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

    private String planName(MigrationJob job) {
        return plans.findById(job.planId()).orElseThrow().name();
    }

    private StepSpec spec(MigrationJob job, StepExecution step) {
        return plans.findById(job.planId()).orElseThrow().document().step(step.stepId())
                .orElseThrow(() -> new IllegalStateException("plan of job " + job.id() + " has no step " + step.stepId()));
    }

    private SecretValues secrets(MigrationJob job) {
        PlanDocument plan = plans.findById(job.planId()).orElseThrow().document();
        try {
            return SecretValues.of(plan, secretParameters.opened(job, plan));
        } catch (IllegalStateException sealed) {
            // Unopenable values were never handed to a step, so no result can contain them.
            return SecretValues.of(plan, null);
        }
    }

    /** The values templates see: secret parameters opened, for this call only. */
    private TemplateScope scope(MigrationJob job) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (StepExecution step : job.steps()) {
            if (step.output() != null) {
                outputs.put(step.stepId(), step.output());
            }
        }
        PlanDocument plan = plans.findById(job.planId()).orElseThrow().document();
        return new TemplateScope(secretParameters.opened(job, plan), outputs, job.id().toString(), job.name());
    }

    /** Stable across attempts, crashes and replicas of one step; short enough for any AWS client token. */
    static String idempotencyToken(MigrationJob job, StepExecution step) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((job.id() + "/" + step.stepId()).getBytes(StandardCharsets.UTF_8));
            return "ferry-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
