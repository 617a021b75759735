package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;

/**
 * What one request of {@code http.check} decided, judged against the settings: the status, the
 * value at the JSON pointer (when one is checked) and how long the answer took. {@code mismatch}
 * says what was expected and what came instead; it is null when the answer was as expected. The
 * body itself is never kept: the step's output is shown to every viewer of the job, and a URL a
 * job author picked must not turn Ferry into a way of reading what only Ferry can reach.
 */
record HttpObservation(Integer status, JsonNode value, Duration latency, String mismatch) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A longer string at the pointer is cut: it is evidence of a decision, not a copy of the answer. */
    static final int MAX_VALUE_CHARS = 200;

    /** Numbers compare by value, so {@code 1} equals {@code 1.0}; everything else structurally. */
    private static final Comparator<JsonNode> JSON_VALUES = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    boolean healthy() {
        return mismatch == null;
    }

    static HttpObservation unreachable(HttpCheckSettings settings, String reason) {
        return new HttpObservation(null, null, null, "expected " + settings.expectation() + ", got " + reason);
    }

    static HttpObservation of(HttpCheckSettings settings, int status, BoundedBody body, Duration latency) {
        if (status != settings.expectedStatus()) {
            return new HttpObservation(
                    status, null, latency, "expected " + settings.expectation() + ", got status " + status);
        }
        if (settings.jsonPointer() == null) {
            return new HttpObservation(status, null, latency, null);
        }
        String expected = "expected " + settings.jsonPointer() + " == " + settings.expectedValue();
        if (body.truncated()) {
            return new HttpObservation(
                    status, null, latency, expected + ", got a body longer than " + body.bytes().length + " bytes");
        }
        JsonNode document;
        try {
            document = JSON.readTree(body.bytes());
        } catch (IOException e) {
            return new HttpObservation(status, null, latency, expected + ", got a body that is not JSON");
        }
        JsonNode actual = document == null ? null : document.at(settings.jsonPointer());
        if (actual == null || actual.isMissingNode()) {
            return new HttpObservation(status, null, latency, expected + ", got nothing at " + settings.jsonPointer());
        }
        JsonNode shown = summary(actual);
        return new HttpObservation(
                status,
                shown,
                latency,
                actual.equals(JSON_VALUES, settings.expectedValue()) ? null : expected + ", got " + shown);
    }

    /**
     * The value as it may be stored: a scalar as it is (a long string cut), a container only by its
     * size, so that a pointer to the whole document ({@code ""}) does not store the body after all.
     */
    static JsonNode summary(JsonNode value) {
        if (value.isObject()) {
            return JsonNodeFactory.instance.textNode("an object with " + value.size() + " field(s)");
        }
        if (value.isArray()) {
            return JsonNodeFactory.instance.textNode("an array of " + value.size() + " item(s)");
        }
        if (value.isTextual() && value.asText().length() > MAX_VALUE_CHARS) {
            return JsonNodeFactory.instance.textNode(value.asText().substring(0, MAX_VALUE_CHARS) + "…");
        }
        return value;
    }
}
