package dev.ferry.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token bucket per caller (the authenticated subject), in memory, per replica: a bucket holds
 * {@code capacity} tokens, which come back evenly over {@code period}; a call costs one or more.
 * A call the bucket cannot pay for is refused ({@link RateLimitedException}, 429 with
 * {@code Retry-After}), counted in {@code ferry.rate-limit.refused} (tag {@code limit}) and logged
 * at WARN with the subject. Full buckets are forgotten, so idle callers cost nothing.
 */
public final class SubjectRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(SubjectRateLimiter.class);
    /** Past this many remembered callers, the full buckets are dropped (they hold nothing). */
    private static final int SWEEP_ABOVE = 10_000;

    private final String name;
    private final String setting;
    private final int capacity;
    private final double tokensPerNano;
    private final Clock clock;
    private final Counter refused;
    private final Map<String, Bucket> buckets = new HashMap<>();

    /**
     * @param name what is limited, the {@code limit} tag ({@code audit-verify})
     * @param setting where an operator changes it, for the log and the refusal
     */
    public SubjectRateLimiter(
            String name, String setting, int capacity, Duration period, Clock clock, MeterRegistry meters) {
        if (capacity < 1 || (period.isNegative() || period.isZero())) {
            throw new IllegalArgumentException("a rate limit needs a capacity >= 1 and a positive period");
        }
        this.name = name;
        this.setting = setting;
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) period.toNanos();
        this.clock = clock;
        this.refused = Counter.builder("ferry.rate-limit.refused")
                .description("Calls refused because their caller was over a per-subject rate limit")
                .tag("limit", name)
                .register(meters);
    }

    /**
     * Takes {@code cost} tokens from {@code subject}'s bucket.
     *
     * @throws RateLimitedException when the bucket holds fewer, with when it will hold enough
     */
    public void acquire(String subject, int cost) {
        long now = nanos();
        Duration wait;
        synchronized (this) {
            if (buckets.size() > SWEEP_ABOVE) {
                buckets.values().removeIf(b -> b.tokens(now) >= capacity);
            }
            Bucket bucket = buckets.computeIfAbsent(subject, s -> new Bucket(capacity, now));
            double tokens = bucket.tokens(now);
            if (tokens >= cost) {
                bucket.tokens = tokens - cost;
                bucket.at = now;
                return;
            }
            wait = Duration.ofNanos((long) Math.ceil((cost - tokens) / tokensPerNano));
        }
        refused.increment();
        log.warn(
                "Refused {} to {}: over its rate limit ({}); it may retry in {} s",
                name,
                subject,
                setting,
                seconds(wait));
        throw new RateLimitedException(name, subject, setting, wait);
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private long nanos() {
        Duration since = Duration.between(Instant.EPOCH, clock.instant());
        return since.toNanos();
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        double tokens(long now) {
            return Math.min(capacity, tokens + Math.max(0, now - at) * tokensPerNano);
        }
    }
}
