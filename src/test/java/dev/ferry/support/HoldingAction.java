package dev.ferry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionResult;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Test-only action {@code test.hold}: its call keeps the worker's slot until the test releases its
 * {@code label} (or a minute passes, so a failing test cannot hang the build), like a long AWS call.
 */
@Component
public class HoldingAction implements ActionHandler {

    private static final Map<String, CountDownLatch> RELEASED = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();
    private static final JsonNode SCHEMA = schema();

    /** Whether a call holding {@code label} has started. */
    public static boolean holding(String label) {
        return latch(ENTERED, label).getCount() == 0;
    }

    public static void release(String label) {
        latch(RELEASED, label).countDown();
    }

    @Override
    public String name() {
        return "test.hold";
    }

    @Override
    public JsonNode parameterSchema() {
        return SCHEMA;
    }

    @Override
    public ActionResult execute(ActionContext context) {
        String label = context.parameters().path("label").asText();
        latch(ENTERED, label).countDown();
        try {
            boolean released = latch(RELEASED, label).await(1, TimeUnit.MINUTES);
            return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("released", released));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ActionResult.failed(true, "INTERRUPTED", "held call interrupted");
        }
    }

    @Override
    public String describe(JsonNode parameters) {
        return "hold the worker until the test releases "
                + parameters.path("label").asText();
    }

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String label) {
        return latches.computeIfAbsent(label, k -> new CountDownLatch(1));
    }

    private static JsonNode schema() {
        try {
            return new ObjectMapper()
                    .readTree(
                            """
                    {"type": "object", "additionalProperties": false, "required": ["label"],
                     "properties": {"label": {"type": "string"}}}
                    """);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
