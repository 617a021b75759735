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
import dev.ferry.engine.Decision;
import dev.ferry.engine.Input;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The transactions around a worker's calls: {@link #begin} (check the lease, start an attempt,
 * resolve parameters) and {@link #finish} (record the result, fenced by lease owner and token, let
 * the job move on, and start the job's next step for the same worker). The calls run between them,
 * outside any transaction: a chain of n steps costs n + 1 transactions, not 2n plus n claims.
 */
@Component
public class StepRuns {

    private static final Logger log = LoggerFactory.getLogger(StepRuns.class);

    private final JobLocks locks;
    private final JobProgression progression;
    private final PlanCatalog plans;
    private final ActionRegistry actions;
    private final ParameterSchemas schemas;
    private final SecretParameters secretParameters;

    StepRuns(
            JobLocks locks,
            JobProgression progression,
            PlanCatalog plans,
            ActionRegistry actions,
            ParameterSchemas schemas,
            SecretParameters secretParameters) {
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
            return step == null ? Optional.<StepCall>empty() : start(change, claim, step);
        });
    }

    /**
     * Starts the step {@code change} leased to a worker that offered to run it ({@link
     * JobChange#offerChain}), inside that change; empty when none was leased or it must not be called.
     */
    Optional<StepCall> startChained(JobChange change) {
        StepExecution next = change.chained();
        if (next == null) {
            return Optional.empty();
        }
        return start(change, new ClaimedStep(next.id(), change.job().id(), next.leaseOwner(), next.leaseToken()), next);
    }

    private Optional<StepCall> start(JobChange change, ClaimedStep claim, StepExecution step) {
        Optional<Decision.Call> call = progression
                .decide(change, new Input.Claimed(step.stepId(), claim.owner()))
                .call();
        return call.flatMap(c -> prepare(change, claim, step, c.undo()));
    }

    /** Resolves what the worker calls; a step that cannot be called fails here, as a non-retryable error. */
    private Optional<StepCall> prepare(JobChange change, ClaimedStep claim, StepExecution step, boolean undo) {
        StepSpec spec = spec(change.job(), step);
        // A plan's own compensation is another action run forward; otherwise the handler undoes itself.
        boolean planned = undo && spec.compensate() != null;
        String action = planned ? spec.compensate().action() : step.action();
        JsonNode template = planned ? spec.compensate().with() : spec.with();
        Optional<ActionHandler> handler = actions.find(action);
        if (handler.isEmpty()) {
            return fail(change, step, ActionResult.failed(false, "UNKNOWN_ACTION", "no handler for " + action));
        }
        JsonNode parameters;
        try {
            parameters = template == null
                    ? JsonNodeFactory.instance.objectNode()
                    : Template.resolve(template, scope(change.job()));
        } catch (TemplateException e) {
            return fail(change, step, ActionResult.failed(false, "TEMPLATE_UNRESOLVED", e.getMessage()));
        } catch (IllegalStateException sealed) {
            return fail(change, step, ActionResult.failed(false, "SECRET_UNAVAILABLE", sealed.getMessage()));
        }
        List<ValidationMessage> invalid = schemas.validate(handler.get(), parameters);
        if (!invalid.isEmpty()) {
            return fail(
                    change,
                    step,
                    ActionResult.failed(
                            false, "INVALID_PARAMETERS", invalid.get(0).getMessage()));
        }
        ObjectNode progress =
                step.progress() instanceof ObjectNode p ? p.deepCopy() : JsonNodeFactory.instance.objectNode();
        String token = idempotencyToken(change.job(), step) + (undo ? "-undo" : "");
        ActionContext context = new ActionContext(
                change.job().id(),
                step.stepId(),
                step.attempt(),
                parameters,
                progress,
                undo ? step.output() : null,
                token,
                step.attemptStartedAt(),
                change.now());
        return Optional.of(new StepCall(claim, handler.get(), context, undo && !planned, step.phase()));
    }

    /**
     * Records what the call came to; a worker that lost its lease writes nothing. With {@code
     * chainLease} the worker offers to run the job's next step itself: if this result queues one,
     * it is leased to the same worker and started (its {@code STEP_STARTED} committed) in this
     * same transaction, and returned to be called next.
     *
     * @param chainLease the next step's lease, or null when the worker takes no next step
     */
    public Optional<StepCall> finish(ClaimedStep claim, ActionResult result, Duration chainLease) {
        return locks.change(claim.jobId(), change -> {
            StepExecution step = stepOf(change, claim);
            if (step == null) {
                return Optional.<StepCall>empty();
            }
            if (chainLease != null) {
                change.offerChain(claim.owner(), change.now().plus(chainLease));
            }
            decideResult(change, step, result);
            return startChained(change);
        });
    }

    private Optional<StepCall> fail(JobChange change, StepExecution step, ActionResult.Failed failed) {
        decideResult(change, step, failed);
        return Optional.empty();
    }

    private void decideResult(JobChange change, StepExecution step, ActionResult result) {
        // Every result passes here, also failures found before the call (templates, schemas), which may quote values.
        ActionResult scrubbed = secrets(change.job()).scrub(result);
        progression.decide(change, new Input.StepFinished(step.stepId(), scrubbed));
    }

    private StepExecution stepOf(JobChange change, ClaimedStep claim) {
        StepExecution step = change.job().steps().stream()
                .filter(s -> s.id().equals(claim.stepId()))
                .findFirst()
                .orElse(null);
        if (step == null || !step.holdsLease(claim.owner(), claim.token())) {
            log.warn(
                    "Worker {} lost its lease on step {} of job {}; its result is dropped",
                    claim.owner(),
                    claim.stepId(),
                    claim.jobId());
            return null;
        }
        return step;
    }

    private StepSpec spec(MigrationJob job, StepExecution step) {
        return plans.findById(job.planId())
                .orElseThrow()
                .document()
                .step(step.stepId())
                .orElseThrow(
                        () -> new IllegalStateException("plan of job " + job.id() + " has no step " + step.stepId()));
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
        PlanDocument plan = plans.findById(job.planId()).orElseThrow().document();
        return new TemplateScope(
                secretParameters.opened(job, plan), job.stepOutputs(), job.id().toString(), job.name());
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
