package dev.ferry.notify;

import dev.ferry.database.ClaimLoop;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's delivery loop, apart from the step workers so a slow receiver never holds up a
 * migration: a {@link ClaimLoop} over the outbox that sends each claimed row on a thread of its own
 * (outside any transaction) and records the outcome; it wakes when a notification is committed
 * here or on another replica. A claim left behind by a crash expires and the row is sent again
 * (receivers deduplicate on the id).
 */
@Component
class NotificationDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final NotificationTargets targets;
    private final DeliveryOutcomes outcomes;
    private final Map<TargetType, NotificationChannel> channels;
    private final NotificationProperties.Delivery settings;
    private final ClaimLoop<Delivery> loop;

    NotificationDispatcher(
            JdbcDeliveryQueue queue,
            NotificationTargets targets,
            DeliveryOutcomes outcomes,
            List<NotificationChannel> channels,
            DeliverySignal signal,
            NotificationProperties properties,
            Clock clock,
            DataSource dataSource) {
        this.targets = targets;
        this.outcomes = outcomes;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::type, Function.identity()));
        this.settings = properties.delivery();
        this.loop = new ClaimLoop<>(
                "ferry-notify",
                settings.concurrency(),
                settings.fallbackPoll(),
                clock,
                dataSource,
                DeliveryWakeups.CHANNEL,
                signal,
                new ClaimLoop.Queue<>() {
                    @Override
                    public List<Delivery> claim(String owner, int max) {
                        return queue.claim(owner, max, settings.claimTimeout(), clock.instant());
                    }

                    @Override
                    public Optional<Instant> nextDue(boolean slotFree) {
                        return slotFree ? queue.nextDue() : Optional.empty();
                    }
                },
                this::deliver);
    }

    @Override
    public void start() {
        if (settings.enabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        // A send in flight gets its own timeout to finish; then its claim simply expires.
        loop.stop(settings.timeout().plusSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    private void deliver(Delivery delivery) {
        try {
            send(delivery);
        } catch (RuntimeException e) {
            // The claim expires and the row is tried again.
            log.error("Notification {} of job {} could not be sent or recorded", delivery.id(), delivery.jobId(), e);
        }
    }

    private void send(Delivery delivery) {
        Optional<NotificationTarget> target = targets.find(delivery.jobId(), delivery.targetKey());
        if (target.isEmpty()) {
            outcomes.failed(
                    delivery,
                    delivery.targetKey(),
                    null,
                    new DeliveryFailedException("target " + delivery.targetKey() + " is no longer configured", false));
            return;
        }
        NotificationChannel channel = channels.get(target.get().type());
        try {
            if (channel == null) {
                throw new DeliveryFailedException(
                        "no channel for " + target.get().type(), false);
            }
            channel.send(target.get(), delivery);
            outcomes.sent(delivery, target.get());
        } catch (DeliveryFailedException failure) {
            log.info(
                    "Notification {} ({}) to {} failed on attempt {}: {}",
                    delivery.id(),
                    delivery.kind().code(),
                    target.get(),
                    delivery.attempt(),
                    failure.getMessage());
            outcomes.failed(delivery, target.get().toString(), target.get().type(), failure);
        }
    }
}
