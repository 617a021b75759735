package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.support.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubjectRateLimiterTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SubjectRateLimiter limiter =
            new SubjectRateLimiter("test", "test.calls", 3, Duration.ofSeconds(30), clock, meters);

    @Test
    void aCallerHasItsBurstThenWaitsForTokensToComeBackWhileOthersAreUntouched() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("mallory", 1);
        }
        assertThatThrownBy(() -> limiter.acquire("mallory", 1))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.problemType()).isEqualTo("rate-limited");
                    // One token every 10 s.
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(e.getMessage()).contains("mallory", "test.calls");
                });
        limiter.acquire("alice", 3);

        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(() -> limiter.acquire("mallory", 1)).isInstanceOf(RateLimitedException.class);
        clock.advance(Duration.ofSeconds(1));
        limiter.acquire("mallory", 1);
        assertThat(meters.get("ferry.rate-limit.refused")
                        .tag("limit", "test")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void anExpensiveCallWaitsForAsManyTokensAndABucketNeverHoldsMoreThanItsCapacity() {
        clock.advance(Duration.ofHours(1));
        limiter.acquire("bob", 2);
        assertThatThrownBy(() -> limiter.acquire("bob", 3))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter())
                        .isEqualTo(Duration.ofSeconds(20)));
        clock.advance(Duration.ofHours(1));
        limiter.acquire("bob", 3);
        assertThatThrownBy(() -> limiter.acquire("bob", 1)).isInstanceOf(RateLimitedException.class);
    }
}
