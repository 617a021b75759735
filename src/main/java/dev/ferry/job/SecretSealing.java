package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * Protects the values of secret parameters at rest (port; the security capability implements it).
 * A sealed value is bound to its job: it cannot be opened as another job's.
 */
public interface SecretSealing {

    /**
     * Refuses a secret ({@code what} names it for the caller) when there is no key to seal it with.
     *
     * @throws SecretKeyMissingException without a key: secrets are never stored in plain text
     */
    void requireKey(String what);

    /**
     * The form to store {@code value} in; the same value sealed twice need not look the same.
     *
     * @throws SecretKeyMissingException without a key
     */
    JsonNode seal(UUID jobId, JsonNode value);

    /**
     * The value {@code stored} was sealed from; a value that was stored unsealed (no key was
     * configured then) is returned as it is.
     *
     * @throws IllegalStateException when it was sealed and cannot be opened (no key, another key)
     */
    JsonNode open(UUID jobId, JsonNode stored);

    /** Stores values as they are: for tests and slices without the security capability. */
    SecretSealing NONE = new SecretSealing() {
        @Override
        public void requireKey(String what) {}

        @Override
        public JsonNode seal(UUID jobId, JsonNode value) {
            return value;
        }

        @Override
        public JsonNode open(UUID jobId, JsonNode stored) {
            return stored;
        }
    };
}
