package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the parameter schemas of the local actions from {@code schemas/actions/<name>.json}.
 * Kept as files rather than strings so plan authors and editors can use them directly.
 */
public final class ActionSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ActionSchemas() {}

    /** Loads a schema; a missing or broken file is a packaging bug, so it fails start-up. */
    public static JsonNode load(String actionName) {
        String resource = "schemas/actions/" + actionName + ".json";
        try (InputStream in = ActionSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing parameter schema " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable parameter schema " + resource, e);
        }
    }
}
