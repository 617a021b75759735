package dev.ferry.security;

import dev.ferry.common.FerryException;
import java.time.Duration;

/** The caller asked for something more often than its per-subject limit allows; it may retry later. */
public class RateLimitedException extends FerryException {

    private final Duration retryAfter;

    RateLimitedException(String limit, String subject, String setting, Duration retryAfter) {
        super(
                "rate-limited",
                429,
                "Too many requests",
                subject + " is over its rate limit for " + limit + " (" + setting + "); retry after "
                        + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
