package dev.ferry.action.local;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.StepParameters;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** The {@code with} block of {@code http.check}, with its defaults applied. */
record HttpCheckSettings(
        URI url,
        String method,
        int expectedStatus,
        JsonPointer jsonPointer,
        JsonNode expectedValue,
        int consecutiveSuccesses,
        Duration interval,
        Duration requestTimeout,
        int failureThreshold) {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    static HttpCheckSettings from(JsonNode with) {
        StepParameters parameters = new StepParameters(HttpCheckAction.NAME, with);
        JsonPointer pointer =
                parameters.text("jsonPointer").map(p -> pointer(parameters, p)).orElse(null);
        if (pointer != null && !parameters.has("equals")) {
            throw parameters.invalid("equals is required when jsonPointer is given");
        }
        Duration requestTimeout = parameters.duration("requestTimeout", DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isZero()) {
            throw parameters.invalid("requestTimeout must be positive");
        }
        return new HttpCheckSettings(
                url(parameters),
                method(parameters),
                parameters.integer("expectedStatus", 200, 100),
                pointer,
                pointer == null ? null : parameters.node("equals"),
                parameters.integer("consecutiveSuccesses", 1, 1),
                parameters.duration("interval", DEFAULT_INTERVAL),
                requestTimeout,
                parameters.integer("failureThreshold", 3, 1));
    }

    private static URI url(StepParameters parameters) {
        String text = parameters.requiredText("url");
        try {
            URI url = URI.create(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw parameters.invalid("url must be an absolute http or https URL, got '" + text + "'");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw parameters.invalid("url is not a valid URL: '" + text + "'");
        }
    }

    private static String method(StepParameters parameters) {
        String method = parameters.text("method").orElse("GET");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw parameters.invalid("method must be GET or HEAD, got " + method);
        }
        return method;
    }

    private static JsonPointer pointer(StepParameters parameters, String text) {
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw parameters.invalid("jsonPointer must be an RFC 6901 pointer such as /status, got '" + text + "'");
        }
    }

    /** What a healthy answer looks like, for messages: {@code 200} or {@code 200 with /status == "ok"}. */
    String expectation() {
        return "status " + expectedStatus
                + (jsonPointer == null ? "" : " with " + jsonPointer + " == " + expectedValue);
    }
}
