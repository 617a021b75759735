package dev.ferry.stream;

import dev.ferry.common.FerryException;
import java.time.Duration;

/**
 * A stream refused: this replica already serves as many as it is configured to (503), or this
 * caller already holds as many as one caller may (429). Either way the client should retry later.
 */
public class TooManyStreamsException extends FerryException {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The replica is full. */
    public TooManyStreamsException(int limit) {
        super(
                "too-many-streams",
                503,
                "Too many event streams",
                "this replica serves at most " + limit + " event streams (ferry.streams.max-subscribers); retry later");
    }

    /** The caller holds {@code limit} streams already. */
    TooManyStreamsException(String subject, int limit) {
        super(
                "too-many-streams-for-subject",
                429,
                "Too many event streams for one caller",
                subject + " already has " + limit + " open event streams on this replica"
                        + " (ferry.streams.max-per-subject); close one, or retry later");
    }

    @Override
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
