package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a tree that passed every check into a {@link PlanDocument}, applying the defaults. */
final class PlanDocumentReader {

    private PlanDocumentReader() {}

    static PlanDocument read(JsonNode root) {
        List<ParameterSpec> parameters = new ArrayList<>();
        root.path("parameters").forEach(p -> parameters.add(parameter(p)));
        Map<Phase, PhaseSpec> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            JsonNode spec = root.path("phases").path(phase.key());
            if (spec.isObject()) {
                List<StepSpec> steps = new ArrayList<>();
                spec.path("steps").forEach(s -> steps.add(step(s)));
                JsonNode alertRollback = spec.path("alertRollback");
                phases.put(
                        phase,
                        new PhaseSpec(
                                steps,
                                approval(spec.path("approval")),
                                notBefore(spec.path("notBefore")),
                                window(spec.path("window")),
                                alertRollback.isBoolean() ? alertRollback.booleanValue() : null));
            }
        }
        return new PlanDocument(root.path("name").textValue(), text(root, "description"), parameters, phases);
    }

    private static ParameterSpec parameter(JsonNode node) {
        JsonNode defaultValue = node.path("default");
        return new ParameterSpec(
                node.path("name").textValue(),
                PlanChecks.parameterType(node.path("type")).orElseThrow(),
                node.path("required").asBoolean(false),
                defaultValue.isMissingNode() || defaultValue.isNull() ? null : defaultValue.deepCopy(),
                node.path("secret").asBoolean(false),
                text(node, "description"));
    }

    private static NotBefore notBefore(JsonNode node) {
        return node.isObject()
                ? new NotBefore(
                        Phase.parse(node.path("after").textValue()).orElseThrow(), duration(node, "delay", null))
                : null;
    }

    private static MaintenanceWindow window(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        node.path("days").forEach(d -> days.add(PlanChecks.dayOfWeek(d.textValue())));
        return new MaintenanceWindow(
                days,
                LocalTime.parse(node.path("start").textValue()),
                LocalTime.parse(node.path("end").textValue()),
                ZoneId.of(node.path("zone").textValue()));
    }

    private static ApprovalPolicy approval(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        List<String> roles = new ArrayList<>();
        node.path("roles").forEach(r -> roles.add(r.textValue()));
        return new ApprovalPolicy(
                node.path("required").intValue(),
                roles,
                node.path("separationOfDuties").asBoolean(true),
                duration(node, "expiresAfter", null));
    }

    private static StepSpec step(JsonNode node) {
        JsonNode compensate = node.path("compensate");
        return new StepSpec(
                node.path("id").textValue(),
                node.path("action").textValue(),
                object(node.path("with")),
                compensate.isObject()
                        ? new CompensationSpec(compensate.path("action").textValue(), object(compensate.path("with")))
                        : null,
                duration(node, "timeout", null),
                duration(node, "estimate", null),
                retry(node.path("retry")),
                node.path("irreversible").asBoolean(false),
                text(node, "description"),
                "rollback".equals(node.path("onFailure").asText()));
    }

    // Each field the plan leaves out keeps its default on its own: retry: {maxAttempts: 5} keeps the backoff.
    private static RetryPolicy retry(JsonNode node) {
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        if (!node.isObject()) {
            return defaults;
        }
        return new RetryPolicy(
                node.path("maxAttempts").asInt(defaults.maxAttempts()),
                duration(node, "backoff", defaults.backoff()),
                duration(node, "maxBackoff", defaults.maxBackoff()),
                node.path("multiplier").asDouble(defaults.multiplier()));
    }

    private static ObjectNode object(JsonNode node) {
        return node.isObject() ? ((ObjectNode) node).deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    private static Duration duration(JsonNode parent, String field, Duration otherwise) {
        JsonNode node = parent.path(field);
        return node.isTextual() ? Duration.parse(node.textValue()) : otherwise;
    }

    private static String text(JsonNode parent, String field) {
        return parent.path(field).isTextual() ? parent.path(field).textValue() : null;
    }
}
