package dev.ferry.stream;

import dev.ferry.common.FerryException;

/** A {@code Last-Event-ID} this service did not send. */
public class InvalidStreamPositionException extends FerryException {

    public InvalidStreamPositionException(String detail) {
        super("invalid-stream-position", 400, "Invalid stream position", detail);
    }
}
