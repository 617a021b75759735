package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Everything a handler may use for one call.
 *
 * @param jobId the job
 * @param stepId the step's id in the plan
 * @param attempt the attempt number, from 1; polls of one attempt share it
 * @param parameters the step's resolved {@code with} block
 * @param progress what the handler returned in {@link ActionResult.InProgress#progress()} last
 *     time, or an empty object on the first call of an attempt. Its {@code memo} member alone
 *     survives into later attempts: put there what must be captured before a side effect (the
 *     previous desired count before scaling to 0), so a retry after an unclear failure does not
 *     capture the already-changed value
 * @param output for {@link ActionHandler#compensate}: the output of the execution to undo
 * @param idempotencyToken stable across retries and crashes of this step: use it as client token
 * @param startedAt when this attempt started (the first call)
 * @param now the current time, from the service's clock
 */
public record ActionContext(
        UUID jobId,
        String stepId,
        int attempt,
        JsonNode parameters,
        ObjectNode progress,
        JsonNode output,
        String idempotencyToken,
        Instant startedAt,
        Instant now) {}
