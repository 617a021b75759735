package dev.ferry.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The main arguments of a planned AWS call ({@link dev.ferry.action.PlannedCall#arguments()}). */
public final class CallArguments {

    private CallArguments() {}

    /**
     * From name/value pairs: a value is a parameter's node (left out when absent; a template that
     * cannot be resolved before the run stays as its text), a text, a number or a boolean; null is
     * left out.
     */
    public static ObjectNode of(Object... namesAndValues) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            String field = (String) namesAndValues[i];
            Object value = namesAndValues[i + 1];
            if (value instanceof JsonNode node) {
                if (!node.isMissingNode() && !node.isNull()) {
                    arguments.set(field, node.deepCopy());
                }
            } else if (value instanceof Number number) {
                arguments.put(field, number.longValue());
            } else if (value instanceof Boolean flag) {
                arguments.put(field, flag);
            } else if (value != null) {
                arguments.put(field, value.toString());
            }
        }
        return arguments;
    }
}
