package dev.ferry.plan;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a failing step is tried, and how long to wait between attempts: exponential backoff
 * with jitter, so many jobs throttled together do not retry in lockstep.
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, double multiplier) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofMinutes(5), 2.0);

    /** The delay before attempt {@code failedAttempt + 1}: half fixed, half random ("equal jitter"). */
    public Duration delayAfter(int failedAttempt) {
        double exponential = backoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        long capped = (long) Math.min(exponential, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
