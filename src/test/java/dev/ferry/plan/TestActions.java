package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.ActionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test-only handlers with the names and parameter schemas of the local actions (and one AWS-like
 * action), so plan validation can be tested without the real handlers.
 */
public final class TestActions {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestActions() {}

    static ActionRegistry registry() {
        return new ActionRegistry(
                List.of(
                        new SchemaOnly(
                                "noop",
                                """
                        {"type": "object", "additionalProperties": false,
                         "properties": {"message": {"type": "string"}, "output": {"type": "object"}}}"""),
                        new SchemaOnly(
                                "wait",
                                """
                        {"type": "object", "additionalProperties": false, "required": ["duration"],
                         "properties": {"duration": {"type": "string", "pattern": "^P"}}}"""),
                        new SchemaOnly(
                                "http.check",
                                """
                        {"type": "object", "additionalProperties": false, "required": ["url"],
                         "properties": {"url": {"type": "string"}, "method": {"enum": ["GET", "HEAD", "POST"]},
                           "expectedStatus": {"type": "integer"}, "jsonPointer": {"type": "string"}, "equals": true,
                           "consecutiveSuccesses": {"type": "integer", "minimum": 1}, "interval": {"type": "string"},
                           "requestTimeout": {"type": "string"}, "failureThreshold": {"type": "integer", "minimum": 1}}}"""),
                        new SchemaOnly("gate", SchemaOnly.classpath("schemas/actions/gate.json")),
                        new SchemaOnly(
                                "aws.ecs.scaleService",
                                """
                        {"type": "object", "additionalProperties": false, "required": ["cluster", "service", "desiredCount"],
                         "properties": {"cluster": {"type": "string"}, "service": {"type": "string"},
                           "desiredCount": {"type": "integer", "minimum": 0}}}""")));
    }

    public static PlanParser parser() {
        return new PlanParser(registry(), JSON);
    }

    record SchemaOnly(String name, JsonNode parameterSchema) implements ActionHandler {

        SchemaOnly(String name, String schema) {
            this(name, read(schema));
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.succeeded();
        }

        @Override
        public String describe(JsonNode parameters) {
            return name + " " + parameters;
        }

        static String classpath(String resource) {
            try (var in = TestActions.class.getClassLoader().getResourceAsStream(resource)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static JsonNode read(String schema) {
            try {
                return JSON.readTree(schema);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
