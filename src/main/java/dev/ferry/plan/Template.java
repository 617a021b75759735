package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ${...}} templates in plan values: a path lookup, never an expression language, because
 * plans arrive over the API and must not be able to run code.
 *
 * <p>A string that is exactly one template takes the referenced value with its JSON type (an
 * integer stays an integer, an object stays an object); a template inside longer text is
 * interpolated as text; {@code $${} stands for a literal {@code ${}. Paths:
 * {@code params.<name>[.<field>...]}, {@code steps.<id>.output[.<field>|.<index>...]},
 * {@code job.id}, {@code job.name}.
 */
public final class Template {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private sealed interface Part permits Text, Ref {}

    private record Text(String text) implements Part {}

    private record Ref(String path) implements Part {}

    private Template() {}

    /** A copy of {@code tree} with every template resolved against {@code scope}. */
    public static JsonNode resolve(JsonNode tree, TemplateScope scope) {
        if (tree == null) {
            return null;
        }
        if (tree.isTextual()) {
            return resolveText(tree.textValue(), scope);
        }
        if (tree.isObject()) {
            ObjectNode copy = NODES.objectNode();
            tree.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), scope)));
            return copy;
        }
        if (tree.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            tree.forEach(item -> copy.add(resolve(item, scope)));
            return copy;
        }
        return tree.deepCopy();
    }

    /** Every path referenced by a template anywhere in {@code tree}, in order of appearance. */
    public static Set<String> references(JsonNode tree) {
        Set<String> paths = new LinkedHashSet<>();
        collect(tree, paths);
        return paths;
    }

    /** Whether {@code text} holds a template (a malformed one counts: its type is unknown too). */
    static boolean containsTemplate(String text) {
        try {
            return parts(text).stream().anyMatch(Ref.class::isInstance);
        } catch (TemplateException e) {
            return true;
        }
    }

    private static void collect(JsonNode node, Set<String> paths) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            parts(node.textValue()).stream().filter(Ref.class::isInstance).forEach(p -> paths.add(((Ref) p).path()));
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, paths));
        }
    }

    private static JsonNode resolveText(String text, TemplateScope scope) {
        List<Part> parts = parts(text);
        if (parts.size() == 1 && parts.get(0) instanceof Ref ref) {
            return lookup(ref.path(), scope).deepCopy();
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else {
                JsonNode value = lookup(((Ref) part).path(), scope);
                out.append(value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return TextNode.valueOf(out.toString());
    }

    private static List<Part> parts(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new TemplateException(text.substring(i + 2), "unterminated template in '" + text + "'");
                }
                String path = text.substring(i + 2, end);
                if (!PATH.matcher(path).matches()) {
                    throw new TemplateException(path, "bad template path '${" + path + "}'");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(new Ref(path));
                i = end + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Text(literal.toString()));
        }
        return parts;
    }

    private static JsonNode lookup(String path, TemplateScope scope) {
        String[] segments = path.split("\\.");
        JsonNode value =
                switch (segments[0]) {
                    case "params" -> segments.length >= 2 ? descend(scope.params(), segments, 1) : null;
                    case "steps" -> segments.length >= 3 && segments[2].equals("output")
                            ? descend(scope.stepOutputs().get(segments[1]), segments, 3)
                            : null;
                    case "job" -> jobField(segments, scope);
                    default -> throw new TemplateException(path, "bad template path '${" + path + "}'");
                };
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw new TemplateException(path, "no value for '${" + path + "}'");
        }
        return value;
    }

    private static JsonNode jobField(String[] segments, TemplateScope scope) {
        if (segments.length != 2) {
            return null;
        }
        return switch (segments[1]) {
            case "id" -> scope.jobId() == null ? null : TextNode.valueOf(scope.jobId());
            case "name" -> scope.jobName() == null ? null : TextNode.valueOf(scope.jobName());
            default -> null;
        };
    }

    private static JsonNode descend(JsonNode start, String[] segments, int from) {
        JsonNode node = start;
        for (int i = from; i < segments.length && node != null; i++) {
            String segment = segments[i];
            if (node.isArray() && segment.chars().allMatch(Character::isDigit)) {
                node = node.get(Integer.parseInt(segment));
            } else {
                node = node.isObject() ? node.get(segment) : null;
            }
        }
        return node;
    }
}
