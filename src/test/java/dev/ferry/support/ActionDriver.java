package dev.ferry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionResult;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Drives a real action handler the way a worker does (call, keep the progress, call again after
 * the poll delay), so AWS action tests can exercise execute, retries after a lost result, and
 * compensate against the emulator.
 */
public final class ActionDriver {

    private final ActionHandler handler;
    private final UUID jobId = UUID.randomUUID();
    private final String stepId;
    private int attempt = 1;
    private ObjectNode progress = JsonNodeFactory.instance.objectNode();

    public ActionDriver(ActionHandler handler, String stepId) {
        this.handler = handler;
        this.stepId = stepId;
    }

    /** One call with the current progress; progress is kept if the handler asks to be called again. */
    public ActionResult call(JsonNode parameters) {
        ActionResult result = handler.execute(context(parameters, null));
        if (result instanceof ActionResult.InProgress more) {
            progress = more.progress();
        }
        return result;
    }

    /** Calls until the handler stops answering "in progress" (honouring its delays, bounded). */
    public ActionResult run(JsonNode parameters, Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        while (true) {
            ActionResult result = call(parameters);
            if (!(result instanceof ActionResult.InProgress more)) {
                return result;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still in progress after " + atMost + ": " + more.message());
            }
            pause(more.pollAfter());
        }
    }

    /** Like the engine after a crashed worker: the same attempt again, with the progress last stored. */
    public ActionDriver restoredProgress(ObjectNode stored) {
        progress = stored.deepCopy();
        return this;
    }

    /** A new attempt after a failure: only the memo survives. */
    public ActionDriver nextAttempt() {
        attempt++;
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        if (progress.has("memo")) {
            kept.set("memo", progress.get("memo"));
        }
        progress = kept;
        return this;
    }

    public ObjectNode progress() {
        return progress.deepCopy();
    }

    public ActionResult compensate(JsonNode parameters, JsonNode output) {
        return handler.compensate(context(parameters, output));
    }

    public String idempotencyToken() {
        return "ferry-test-" + jobId.toString().replace("-", "").substring(0, 20) + "-" + stepId;
    }

    private ActionContext context(JsonNode parameters, JsonNode output) {
        return new ActionContext(
                jobId,
                stepId,
                attempt,
                parameters,
                progress.deepCopy(),
                output,
                idempotencyToken(),
                Instant.now(),
                Instant.now());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(Math.min(Math.max(duration.toMillis(), 10), 2_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
