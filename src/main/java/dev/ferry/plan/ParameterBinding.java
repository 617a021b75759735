package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks the parameters a job is created with against its plan's declarations and applies the
 * defaults. Pure: no state, no I/O.
 */
public final class ParameterBinding {

    /** What a secret value looks like in job views, events and previews. */
    public static final String REDACTED = "******";

    private ParameterBinding() {}

    /**
     * The job's parameters: every supplied value checked against its declaration, defaults added
     * for those not supplied. A supplied JSON {@code null} counts as not supplied.
     *
     * @param supplied an object, or null / JSON null for none
     * @throws InvalidParametersException listing every unknown, missing or mistyped parameter
     */
    public static ObjectNode bind(PlanDocument plan, JsonNode supplied) {
        List<PlanProblem> problems = new ArrayList<>();
        ObjectNode given = JsonNodeFactory.instance.objectNode();
        if (supplied != null && !supplied.isNull() && !supplied.isMissingNode()) {
            if (supplied.isObject()) {
                given = (ObjectNode) supplied;
            } else {
                throw new InvalidParametersException(
                        List.of(new PlanProblem("parameters", "must be an object of name: value")));
            }
        }
        reportUnknown(plan, given, problems);
        ObjectNode bound = JsonNodeFactory.instance.objectNode();
        for (ParameterSpec spec : plan.parameters()) {
            JsonNode value = given.get(spec.name());
            String location = "parameters." + spec.name();
            if (value == null || value.isNull()) {
                if (spec.defaultValue() != null && !spec.defaultValue().isNull()) {
                    bound.set(spec.name(), spec.defaultValue().deepCopy());
                } else if (spec.required()) {
                    problems.add(new PlanProblem(location, "missing required parameter"));
                }
                continue;
            }
            Optional<String> mismatch = mismatch(spec.type(), value);
            if (mismatch.isPresent()) {
                problems.add(new PlanProblem(location, mismatch.get()));
            } else {
                bound.set(spec.name(), value.deepCopy());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return bound;
    }

    /** A copy of {@code params} with the values of secret parameters replaced by {@link #REDACTED}. */
    public static ObjectNode redact(PlanDocument plan, ObjectNode params) {
        ObjectNode copy = params.deepCopy();
        for (ParameterSpec spec : plan.parameters()) {
            if (spec.secret() && copy.has(spec.name())) {
                copy.put(spec.name(), REDACTED);
            }
        }
        return copy;
    }

    /** Why {@code value} is not a valid {@code type}, or empty when it is. */
    static Optional<String> mismatch(ParameterType type, JsonNode value) {
        boolean ok =
                switch (type) {
                    case STRING -> value.isTextual();
                    case INTEGER -> value.isIntegralNumber();
                    case NUMBER -> value.isNumber();
                    case BOOLEAN -> value.isBoolean();
                    case DURATION -> value.isTextual() && parsesAsDuration(value.textValue());
                    case LIST -> value.isArray();
                    case MAP -> value.isObject();
                };
        if (ok) {
            return Optional.empty();
        }
        if (type == ParameterType.DURATION && value.isTextual()) {
            return Optional.of("'" + value.textValue() + "' is not an ISO-8601 duration (e.g. PT30S, P7D)");
        }
        return Optional.of("must be " + describe(type) + ", got " + describe(value));
    }

    private static void reportUnknown(PlanDocument plan, ObjectNode given, List<PlanProblem> problems) {
        String declared = plan.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
        for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (plan.parameter(name).isEmpty()) {
                problems.add(new PlanProblem(
                        "parameters." + name,
                        "unknown parameter; plan '" + plan.name() + "' declares "
                                + (declared.isEmpty() ? "none" : declared)));
            }
        }
    }

    private static boolean parsesAsDuration(String text) {
        try {
            Duration.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String describe(ParameterType type) {
        return switch (type) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case DURATION -> "an ISO-8601 duration string";
            case LIST -> "a list";
            case MAP -> "a map (object)";
        };
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
