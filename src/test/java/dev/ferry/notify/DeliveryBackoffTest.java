package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {

    private final DeliveryOutcomes outcomes = new DeliveryOutcomes(
            null,
            null,
            new NotificationProperties(
                    null,
                    List.of(),
                    new NotificationProperties.Delivery(
                            true,
                            10,
                            Duration.ofHours(24),
                            Duration.ofSeconds(2),
                            Duration.ofMinutes(10),
                            Duration.ofSeconds(10),
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(10),
                            4),
                    false),
            new SimpleMeterRegistry());

    @Test
    void doublesFromTheInitialBackoffWithJitterUpToTheCap() {
        for (int i = 0; i < 50; i++) {
            assertThat(outcomes.backoff(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(outcomes.backoff(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(outcomes.backoff(40)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
        }
    }
}
