package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.action.ActionResult;
import dev.ferry.plan.ParameterBinding;
import dev.ferry.plan.ParameterSpec;
import dev.ferry.plan.PlanDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The values of a job's secret parameters, to take out of whatever a step hands back before it is
 * stored, shown or logged: outputs, progress, error messages. A plan may template a secret into an
 * action's parameters (that is what it is for), and an action may echo its parameters back; this
 * is the net under that. Values shorter than four characters are left alone: replacing them would
 * garble unrelated text and hide nothing. Built from stored parameters, it takes out the sealed
 * form (and a value stored in plain text before a key existed) just the same.
 */
public final class SecretValues {

    private static final int SHORTEST = 4;

    private final List<String> values;

    private SecretValues(List<String> values) {
        this.values = values;
    }

    public static SecretValues of(PlanDocument plan, JsonNode parameters) {
        List<String> values = new ArrayList<>();
        for (ParameterSpec spec : plan.parameters()) {
            JsonNode value = parameters == null ? null : parameters.get(spec.name());
            if (spec.secret() && value != null && !value.isNull()) {
                String text = value.isTextual() ? value.textValue() : value.toString();
                if (text.length() >= SHORTEST) {
                    values.add(text);
                }
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretValues(List.copyOf(values));
    }

    ActionResult scrub(ActionResult result) {
        if (values.isEmpty()) {
            return result;
        }
        if (result instanceof ActionResult.Succeeded ok) {
            return new ActionResult.Succeeded((ObjectNode) scrub(ok.output()));
        }
        if (result instanceof ActionResult.InProgress more) {
            return new ActionResult.InProgress(
                    more.pollAfter(), (ObjectNode) scrub(more.progress()), scrub(more.message()));
        }
        if (result instanceof ActionResult.Failed failed) {
            return new ActionResult.Failed(
                    failed.retryable(), failed.code(), scrub(failed.message()), (ObjectNode) scrub(failed.detail()));
        }
        return result;
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String value : values) {
            scrubbed = scrubbed.replace(value, ParameterBinding.REDACTED);
        }
        return scrubbed;
    }

    /** A copy with every text value (and field name) scrubbed; null stays null. */
    JsonNode scrub(JsonNode node) {
        if (node == null || values.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(scrub(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(scrub(field.getKey()), scrub(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(scrub(element)));
            return copy;
        }
        return node;
    }
}
