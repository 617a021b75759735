package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * What one request of {@code http.check} saw, judged against the settings. {@code mismatch} says
 * what was expected and what came instead; it is null when the answer was as expected.
 */
record HttpObservation(Integer status, String body, String mismatch) {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        return new HttpObservation(null, null, "expected " + settings.expectation() + ", got " + reason);
    }

    static HttpObservation of(HttpCheckSettings settings, int status, BoundedBodySubscriber.Body body) {
        String text = new String(body.bytes(), StandardCharsets.UTF_8);
        if (status != settings.expectedStatus()) {
            return new HttpObservation(status, text, "expected " + settings.expectation() + ", got status " + status);
        }
        if (settings.jsonPointer() == null) {
            return new HttpObservation(status, text, null);
        }
        return new HttpObservation(status, text, valueMismatch(settings, body));
    }

    private static String valueMismatch(HttpCheckSettings settings, BoundedBodySubscriber.Body body) {
        String expected = "expected " + settings.jsonPointer() + " == " + settings.expectedValue();
        if (body.truncated()) {
            return expected + ", got a body longer than " + body.bytes().length + " bytes";
        }
        JsonNode document;
        try {
            document = JSON.readTree(body.bytes());
        } catch (IOException e) {
            return expected + ", got a body that is not JSON";
        }
        JsonNode actual = document == null ? null : document.at(settings.jsonPointer());
        if (actual == null || actual.isMissingNode()) {
            return expected + ", got nothing at " + settings.jsonPointer();
        }
        return actual.equals(JSON_VALUES, settings.expectedValue()) ? null : expected + ", got " + actual;
    }
}
