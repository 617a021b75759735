package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One kind of step a plan can run ({@code noop}, {@code wait}, {@code aws.ecs.scaleService}...).
 *
 * <p>Contract: {@link #execute} is called with parameters that already passed
 * {@link #parameterSchema()} and had their templates resolved. It may be called more than once for
 * the same attempt (a crashed worker's lease expires and another worker re-runs it), so every side
 * effect must be idempotent: use {@link ActionContext#idempotencyToken()} as client token or
 * resource name, and look before creating. It never blocks for long: an operation that takes
 * minutes returns {@link ActionResult.InProgress} and is called again later with the state it
 * returned. It reports failures as {@link ActionResult.Failed} or by throwing
 * {@link ActionFailure}; any other exception is a non-retryable failure.
 */
public interface ActionHandler {

    /** The name plans use, {@code service.verbNoun}. */
    String name();

    /** A JSON Schema (2020-12) for the step's {@code with} block. */
    JsonNode parameterSchema();

    /** Does (or continues) the work. */
    ActionResult execute(ActionContext context);

    /** Whether {@link #compensate} can undo {@link #execute} when the plan names no compensation. */
    default boolean compensable() {
        return false;
    }

    /** Undoes a successful execution, given its output in {@link ActionContext#output()}. */
    default ActionResult compensate(ActionContext context) {
        return ActionResult.failed(false, "NOT_COMPENSABLE", name() + " has no compensation");
    }

    /**
     * The AWS resources this step changes, named stably ({@code ecs:service:cluster/service},
     * {@code efs:fs-123}, {@code ssm:/app/flag}), so that two jobs never change one at once.
     * Read-only actions change none.
     */
    default Set<String> resources(JsonNode parameters) {
        return Set.of();
    }

    /**
     * The AWS calls {@link #execute} will make with these (resolved) parameters, in order, for
     * previews and permission checks. A preview of a built-in plan must match the calls a run
     * records (tested), so list every call, reads included.
     */
    default List<PlannedCall> plannedCalls(JsonNode parameters) {
        return List.of();
    }

    /** The AWS calls {@link #compensate} will make; empty when there is no compensation. */
    default List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        return List.of();
    }

    /**
     * Read-only checks before the window: does every resource the step needs exist and is it in
     * the state the step expects (describe calls only; never a change). Permissions, drift, locks
     * and windows are checked by the job's preflight, not here.
     */
    default List<PreflightFinding> preflight(JsonNode parameters) {
        return List.of();
    }

    /** What this step would do with these (resolved) parameters, for previews and audit. */
    String describe(JsonNode parameters);
}
