package dev.ferry.action.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/** Builds {@link ActionContext}s for handler tests. */
final class Contexts {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private Contexts() {}

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ActionContext first(String with, Instant now) {
        return call(with, 1, JsonNodeFactory.instance.objectNode(), now);
    }

    static ActionContext call(String with, int attempt, ObjectNode progress, Instant now) {
        return new ActionContext(JOB, "step", attempt, json(with), progress, null, "token-" + attempt, T0, now);
    }
}
