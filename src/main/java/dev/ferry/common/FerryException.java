package dev.ferry.common;

import java.time.Duration;
import java.util.Map;

/**
 * A request Ferry refuses, for a reason the caller can act on. The API turns it into an RFC 9457
 * problem whose {@code type} ends with {@link #problemType()}; subclasses name the condition
 * ({@code TransitionNotAllowedException}), never the HTTP status.
 */
public abstract class FerryException extends RuntimeException {

    private final String problemType;
    private final int status;
    private final String title;

    protected FerryException(String problemType, int status, String title, String detail) {
        super(detail);
        this.problemType = problemType;
        this.status = status;
        this.title = title;
    }

    /** Stable slug, e.g. {@code transition-not-allowed}. */
    public String problemType() {
        return problemType;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Extra members of the problem document (current state, allowed events, errors...). */
    public Map<String, Object> properties() {
        return Map.of();
    }

    /** When trying again may succeed, sent as {@code Retry-After}; null when it says nothing about that. */
    public Duration retryAfter() {
        return null;
    }
}
