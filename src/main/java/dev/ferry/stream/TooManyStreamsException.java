package dev.ferry.stream;

import dev.ferry.common.FerryException;

/** This replica already serves as many streams as it is configured to; the client should retry later. */
public class TooManyStreamsException extends FerryException {

    public TooManyStreamsException(int limit) {
        super(
                "too-many-streams",
                503,
                "Too many event streams",
                "this replica serves at most " + limit + " event streams (ferry.streams.max-subscribers); retry later");
    }
}
