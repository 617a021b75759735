package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Typed reads of a step's {@code with} block. Parameters normally passed the schema already; these
 * checks are the second line, so a plan that slipped past validation fails the step with
 * {@code INVALID_PARAMETERS} (not retryable) instead of a bare exception.
 */
public final class StepParameters {

    public static final String INVALID = "INVALID_PARAMETERS";

    private final String action;
    private final JsonNode with;

    public StepParameters(String action, JsonNode with) {
        this.action = action;
        this.with = with == null ? MissingNode.getInstance() : with;
    }

    public boolean has(String name) {
        return with.has(name) && !with.get(name).isMissingNode();
    }

    public JsonNode node(String name) {
        return with.path(name);
    }

    public Optional<String> text(String name) {
        JsonNode value = with.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(name + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    public String requiredText(String name) {
        return text(name).orElseThrow(() -> invalid(name + " is required"));
    }

    public Optional<Integer> integer(String name) {
        JsonNode value = with.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(name + " must be an integer");
        }
        return Optional.of(value.intValue());
    }

    public int integer(String name, int fallback, int min) {
        int value = integer(name).orElse(fallback);
        if (value < min) {
            throw invalid(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode value = with.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(name + " must be a boolean");
        }
        return value.booleanValue();
    }

    /** An ISO-8601 duration that must not be negative. */
    public Duration duration(String name, Duration fallback) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            if (fallback == null) {
                throw invalid(name + " is required");
            }
            return fallback;
        }
        try {
            Duration value = Duration.parse(text.get());
            if (value.isNegative()) {
                throw invalid(name + " must not be negative, got " + text.get());
            }
            return value;
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 duration such as PT30S, got '" + text.get() + "'");
        }
    }

    public ActionFailure invalid(String problem) {
        return new ActionFailure(false, INVALID, action + ": " + problem);
    }
}
