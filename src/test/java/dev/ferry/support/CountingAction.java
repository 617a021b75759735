package dev.ferry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionResult;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Test-only action {@code test.count}: its "side effect" is a counter per job and step, kept for
 * the whole test JVM (across Spring contexts), so tests can prove a step ran exactly once.
 */
@Component
public class CountingAction implements ActionHandler {

    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    private static final JsonNode SCHEMA = schema();

    public static int count(UUID jobId, String stepId) {
        AtomicInteger count = COUNTS.get(jobId + "/" + stepId);
        return count == null ? 0 : count.get();
    }

    @Override
    public String name() {
        return "test.count";
    }

    @Override
    public JsonNode parameterSchema() {
        return SCHEMA;
    }

    @Override
    public ActionResult execute(ActionContext context) {
        int n = COUNTS.computeIfAbsent(context.jobId() + "/" + context.stepId(), k -> new AtomicInteger())
                .incrementAndGet();
        return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("count", n));
    }

    @Override
    public String describe(JsonNode parameters) {
        return "count one execution";
    }

    private static JsonNode schema() {
        try {
            return new ObjectMapper()
                    .readTree(
                            """
                    {"type": "object", "additionalProperties": false, "properties": {"label": {"type": "string"}}}
                    """);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
