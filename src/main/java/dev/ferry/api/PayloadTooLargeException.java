package dev.ferry.api;

import java.io.IOException;

/**
 * A request body went past {@code ferry.api.max-body-bytes} while being read. An
 * {@link IOException} because it is thrown from an input stream, where readers expect one; the
 * API answers it with 413 {@code payload-too-large} wherever the reader wraps it.
 */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The first {@code PayloadTooLargeException} among {@code error} and its causes, or null. */
    static PayloadTooLargeException findIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
