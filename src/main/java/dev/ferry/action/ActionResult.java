package dev.ferry.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** What one call of a handler came to. */
public sealed interface ActionResult {

    /** Done; {@code output} is what later steps may reference as {@code steps.<id>.output}. */
    record Succeeded(ObjectNode output) implements ActionResult {}

    /** Not done yet: call again after {@code pollAfter} with {@code progress}. Frees the thread. */
    record InProgress(Duration pollAfter, ObjectNode progress, String message) implements ActionResult {}

    /** Failed; {@code retryable} says whether another attempt may succeed (throttling, 5xx). */
    record Failed(boolean retryable, String code, String message, ObjectNode detail) implements ActionResult {}

    static Succeeded succeeded(ObjectNode output) {
        return new Succeeded(output == null ? JsonNodeFactory.instance.objectNode() : output);
    }

    static Succeeded succeeded() {
        return succeeded(null);
    }

    static InProgress inProgress(Duration pollAfter, ObjectNode progress, String message) {
        return new InProgress(pollAfter, progress == null ? JsonNodeFactory.instance.objectNode() : progress, message);
    }

    static Failed failed(boolean retryable, String code, String message) {
        return new Failed(retryable, code, message, JsonNodeFactory.instance.objectNode());
    }
}
