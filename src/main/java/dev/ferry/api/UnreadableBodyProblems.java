package dev.ferry.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Turns a body Jackson could not read into a problem that says where and why, in JSON terms
 * ({@code $.phases[0].id}, "integer") rather than Java ones: class names are internals and would
 * change under clients' feet.
 */
final class UnreadableBodyProblems {

    private static final int MAX_ECHO = 100;
    private static final Pattern TOKEN = Pattern.compile("JsonToken\\.([A-Z_]+)");
    private static final Pattern COERCION = Pattern.compile("^Cannot coerce ([A-Za-z-]+) value");

    private UnreadableBodyProblems() {}

    static ProblemDetail describe(Throwable cause) {
        PayloadTooLargeException tooLarge = PayloadTooLargeException.findIn(cause);
        if (tooLarge != null) {
            return ProblemHandling.problem(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    ProblemTypes.PAYLOAD_TOO_LARGE,
                    "The request body is larger than the limit of " + tooLarge.limit() + " bytes.");
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (cause instanceof ValueInstantiationException rejected) {
            return rejectedValue(rejected);
        }
        if (cause instanceof MismatchedInputException mismatch) {
            return wrongType(mismatch);
        }
        if (cause instanceof StreamReadException malformed) {
            return malformed(malformed);
        }
        if (cause instanceof JsonMappingException mapping) {
            ProblemDetail problem = ProblemHandling.problem(
                    HttpStatus.BAD_REQUEST,
                    ProblemTypes.INVALID_VALUE,
                    "The value at " + path(mapping) + " cannot be read.");
            problem.setProperty("path", path(mapping));
            return problem;
        }
        return ProblemHandling.problem(
                HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_BODY, "The request body is missing or cannot be read.");
    }

    private static ProblemDetail unknownField(UnrecognizedPropertyException unknown) {
        String path = path(unknown);
        ProblemDetail problem = ProblemHandling.problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.UNKNOWN_FIELD,
                "Unknown field '" + unknown.getPropertyName() + "' at " + path + ".");
        problem.setProperty("field", unknown.getPropertyName());
        problem.setProperty("path", path);
        if (unknown.getKnownPropertyIds() != null) {
            problem.setProperty(
                    "knownFields",
                    new TreeSet<>(unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .toList()));
        }
        return problem;
    }

    private static ProblemDetail wrongType(MismatchedInputException mismatch) {
        String path = path(mismatch);
        String expected = expectedType(mismatch.getTargetType());
        String got =
                mismatch instanceof InvalidFormatException invalid ? echo(invalid.getValue()) : givenType(mismatch);
        ProblemDetail problem = ProblemHandling.problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.INVALID_VALUE,
                path + " must be " + expected + (got == null ? "" : ", got " + got) + ".");
        problem.setProperty("path", path);
        problem.setProperty("expected", expected);
        return problem;
    }

    private static ProblemDetail rejectedValue(ValueInstantiationException rejected) {
        String path = path(rejected);
        // Constructors of request records state their rules in IllegalArgumentExceptions, written for callers.
        String reason =
                rejected.getCause() instanceof IllegalArgumentException argument && argument.getMessage() != null
                        ? ": " + argument.getMessage()
                        : "";
        ProblemDetail problem = ProblemHandling.problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.INVALID_VALUE,
                "The value at " + path + " is not valid" + reason + ".");
        problem.setProperty("path", path);
        return problem;
    }

    private static ProblemDetail malformed(StreamReadException malformed) {
        JsonLocation location = malformed.getLocation();
        String reason = firstLine(malformed.getOriginalMessage());
        String where = location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        ProblemDetail problem = ProblemHandling.problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_BODY,
                "The request body is not well-formed" + where + (reason.isEmpty() ? "." : ": " + reason));
        if (!where.isEmpty()) {
            problem.setProperty("line", location.getLineNr());
            problem.setProperty("column", location.getColumnNr());
        }
        return problem;
    }

    /** A JSONPath to where reading failed: {@code $.phases.cutover.steps[2].with}. */
    static String path(JsonMappingException error) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : error.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The JSON (or ISO-8601) name of what a Java type accepts. */
    static String expectedType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == int.class
                || type == long.class
                || type == short.class
                || type == byte.class
                || type == Integer.class
                || type == Long.class
                || type == Short.class
                || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type == BigDecimal.class) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return temporalOrObject(type);
    }

    private static String temporalOrObject(Class<?> type) {
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT30S";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "an ISO-8601 timestamp such as 2026-11-22T03:00:00Z";
        }
        if (type == LocalDate.class) {
            return "an ISO-8601 date such as 2026-11-22";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")
                ? "an object"
                : "a " + type.getSimpleName();
    }

    /**
     * What the body had instead. Jackson closes the parser before the exception arrives here, so the
     * token is read from its message; when the message changes shape, the detail just says less.
     */
    private static String givenType(MismatchedInputException mismatch) {
        String message = String.valueOf(mismatch.getOriginalMessage());
        Matcher token = TOKEN.matcher(message);
        if (token.find()
                && Arrays.stream(JsonToken.values()).anyMatch(t -> t.name().equals(token.group(1)))) {
            return switch (JsonToken.valueOf(token.group(1))) {
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY, END_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> null;
            };
        }
        Matcher coercion = COERCION.matcher(message);
        if (coercion.find()) {
            return switch (coercion.group(1)) {
                case "String" -> "a string";
                case "Integer" -> "an integer";
                case "Floating-point" -> "a number";
                case "Boolean" -> "a boolean";
                default -> null;
            };
        }
        return message.contains("Null value") || message.contains("null value") ? "null" : null;
    }

    private static String echo(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        text = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "…" : text;
        return value instanceof String ? "\"" + text + "\"" : text;
    }

    /** Jackson's own reason, without the source excerpt and location it appends. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        int source = line.indexOf("[Source");
        if (source >= 0) {
            line = line.substring(0, source);
        }
        return line.replaceAll("\\s*\\(start marker at\\s*$", "")
                .replaceAll("\\s*at\\s*$", "")
                .trim();
    }
}
