package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phase-level checks ({@code observe: {checks, duration, interval, onFailure}}, the shape
 * ARCHITECTURE.md gives OBSERVE) are sugar for a {@code gate} step appended to the phase, named
 * {@code <phase>-gate}. Expanding them before the semantic checks means one engine path and one set
 * of rules for gates, whichever way a plan writes them. The stored document (and its SHA-256)
 * stays as the author wrote it.
 */
final class PhaseGates {

    private static final Pattern GENERATED = Pattern.compile("^phases\\.([a-z]+)\\.steps\\[(\\d+)\\](\\.with)?(.*)$");

    private PhaseGates() {}

    static String stepId(Phase phase) {
        return phase.key() + "-gate";
    }

    /** A copy of {@code root} with every phase's checks turned into a trailing gate step. */
    static JsonNode expand(JsonNode root) {
        if (!root.path("phases").isObject()) {
            return root;
        }
        JsonNode copy = root.deepCopy();
        for (Phase phase : Phase.values()) {
            JsonNode spec = copy.path("phases").path(phase.key());
            if (!spec.isObject() || !spec.has("checks")) {
                continue;
            }
            ObjectNode phaseNode = (ObjectNode) spec;
            ObjectNode gate = phaseNode
                    .objectNode()
                    .put("id", stepId(phase))
                    .put("action", "gate")
                    .put("description", "Phase-level checks of " + phase.key());
            if (phaseNode.has("onFailure")) {
                gate.set("onFailure", phaseNode.remove("onFailure"));
            }
            ObjectNode with = gate.putObject("with");
            for (String field : new String[] {"duration", "interval", "checks"}) {
                if (phaseNode.has(field)) {
                    with.set(field, phaseNode.remove(field));
                }
            }
            JsonNode steps = phaseNode.path("steps");
            ArrayNode list = steps.isArray() ? (ArrayNode) steps : phaseNode.putArray("steps");
            list.add(gate);
        }
        return copy;
    }

    /**
     * Points a problem found in a generated gate step back at what the author wrote:
     * {@code phases.observe.steps[2].with.checks[0]} becomes {@code phases.observe.checks[0]}.
     */
    static PlanProblem locate(PlanProblem problem, JsonNode original) {
        Matcher m = GENERATED.matcher(problem.location());
        if (!m.matches()) {
            return problem;
        }
        JsonNode spec = original.path("phases").path(m.group(1));
        if (!spec.has("checks")
                || Integer.parseInt(m.group(2)) != spec.path("steps").size()) {
            return problem;
        }
        return new PlanProblem("phases." + m.group(1) + m.group(4), problem.message());
    }
}
