package dev.ferry.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.Template;
import dev.ferry.plan.TemplateException;
import dev.ferry.plan.TemplateScope;
import java.util.Set;
import java.util.TreeSet;

/**
 * A step's parameters resolved as far as they can be before the job runs. Each value is resolved
 * on its own, so one that needs a later output keeps its template while the others resolve.
 *
 * @param with the parameters, with templates that could not be resolved left as written
 * @param pendingSteps steps whose outputs are needed and do not exist yet (fine: known at run time)
 * @param unresolvable templates that will never resolve, with the reason
 */
record Resolution(JsonNode with, Set<String> pendingSteps, Set<String> unresolvable) {

    boolean complete() {
        return pendingSteps.isEmpty() && unresolvable.isEmpty();
    }

    static Resolution of(JsonNode with, TemplateScope scope, Set<String> planSteps) {
        Set<String> pending = new TreeSet<>();
        Set<String> unresolvable = new TreeSet<>();
        JsonNode resolved = with == null
                ? JsonNodeFactory.instance.objectNode()
                : resolve(with, scope, planSteps, pending, unresolvable);
        return new Resolution(resolved, pending, unresolvable);
    }

    private static JsonNode resolve(
            JsonNode node, TemplateScope scope, Set<String> planSteps, Set<String> pending, Set<String> unresolvable) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties()
                    .forEach(e -> copy.set(e.getKey(), resolve(e.getValue(), scope, planSteps, pending, unresolvable)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(resolve(item, scope, planSteps, pending, unresolvable)));
            return copy;
        }
        try {
            return Template.resolve(node, scope);
        } catch (TemplateException e) {
            int known = pending.size() + unresolvable.size();
            for (String path : Template.references(node)) {
                String[] parts = path.split("\\.");
                boolean laterOutput = parts.length >= 3
                        && parts[0].equals("steps")
                        && parts[2].equals("output")
                        && planSteps.contains(parts[1])
                        && !scope.stepOutputs().containsKey(parts[1]);
                if (laterOutput) {
                    pending.add(parts[1]);
                    continue;
                }
                try {
                    Template.resolve(JsonNodeFactory.instance.textNode("${" + path + "}"), scope);
                } catch (TemplateException alone) {
                    unresolvable.add("${" + path + "}: " + alone.getMessage());
                }
            }
            if (pending.size() + unresolvable.size() == known
                    && Template.references(node).stream().noneMatch(r -> r.startsWith("steps."))) {
                unresolvable.add(node.asText() + ": " + e.getMessage());
            }
            return node.deepCopy();
        }
    }
}
