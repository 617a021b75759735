package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** JSON Schema 2020-12 validation, reported as {@link PlanProblem}s with plan-relative locations. */
final class SchemaValidation {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private SchemaValidation() {}

    static JsonSchema load(String classpathResource) {
        try (InputStream in = SchemaValidation.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema on the classpath: " + classpathResource);
            }
            return FACTORY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema);
    }

    /**
     * @param base the location of {@code instance} in the plan, "" for the root
     * @param skipTemplated ignore errors about a string holding a template: its type is only
     *     known once the template is resolved at run time
     */
    static List<PlanProblem> validate(JsonSchema schema, JsonNode instance, String base, boolean skipTemplated) {
        Set<ValidationMessage> messages = schema.validate(instance);
        List<ValidationMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing(
                        (ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        List<PlanProblem> problems = new ArrayList<>();
        for (ValidationMessage message : sorted) {
            JsonNode value = message.getInstanceNode();
            if (skipTemplated && value != null && value.isTextual() && Template.containsTemplate(value.textValue())) {
                continue;
            }
            problems.add(toProblem(message, base));
        }
        return problems;
    }

    private static PlanProblem toProblem(ValidationMessage message, String base) {
        String location = append(base, message.getInstanceLocation());
        String property = message.getProperty();
        return switch (message.getType()) {
            case "additionalProperties" -> location.equals("phases")
                    ? new PlanProblem(join(location, property), unknownPhase(property))
                    : new PlanProblem(join(location, property), "unknown field '" + property + "'");
            case "required" -> new PlanProblem(
                    join(location, property), "required field '" + property + "' is missing");
            default -> new PlanProblem(location.isEmpty() ? "(document)" : location, withoutLocation(message));
        };
    }

    static String unknownPhase(String key) {
        return "unknown phase '" + key + "'; valid phases are prepare, freeze, copy, verify, cutover, observe, cleanup";
    }

    private static String append(String base, JsonNodePath path) {
        StringBuilder out = new StringBuilder(base);
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                out.append(out.isEmpty() ? "" : ".").append(element);
            }
        }
        return out.toString();
    }

    static String join(String location, String field) {
        return location.isEmpty() ? field : location + "." + field;
    }

    // The library prefixes each message with its own rendering of the location ("$.a.b: ...").
    private static String withoutLocation(ValidationMessage message) {
        String text = message.getMessage();
        String prefix = message.getInstanceLocation().toString() + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
