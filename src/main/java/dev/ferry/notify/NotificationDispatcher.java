package dev.ferry.notify;

import dev.ferry.database.ChannelListener;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's delivery loop, apart from the step workers so a slow receiver never holds up a
 * migration: claims due outbox rows up to its concurrency, sends each on a thread of its own
 * (outside any transaction), records the outcome, and sleeps until woken (a notification committed
 * here or on another replica, a freed slot) or the next retry falls due, with a slow fallback poll. A claim
 * left behind by a crash expires and the row is sent again (receivers deduplicate on the id).
 */
@Component
class NotificationDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final JdbcDeliveryQueue queue;
    private final NotificationTargets targets;
    private final DeliveryOutcomes outcomes;
    private final Map<TargetType, NotificationChannel> channels;
    private final DeliverySignal signal;
    private final NotificationProperties.Delivery settings;
    private final Clock clock;
    private final DataSource dataSource;
    private final String owner = ownerId();
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean running;
    private Thread loop;
    private ExecutorService senders;
    private ChannelListener wakeups;
    private Thread wakeupThread;

    NotificationDispatcher(JdbcDeliveryQueue queue, NotificationTargets targets, DeliveryOutcomes outcomes,
            List<NotificationChannel> channels, DeliverySignal signal, NotificationProperties properties, Clock clock,
            DataSource dataSource) {
        this.queue = queue;
        this.targets = targets;
        this.outcomes = outcomes;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::type, Function.identity()));
        this.signal = signal;
        this.settings = properties.delivery();
        this.clock = clock;
        this.dataSource = dataSource;
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        AtomicInteger threads = new AtomicInteger();
        senders = Executors.newFixedThreadPool(settings.concurrency(),
                r -> new Thread(r, "ferry-notify-" + threads.incrementAndGet()));
        wakeups = new ChannelListener(dataSource, DeliveryWakeups.CHANNEL, signal);
        wakeupThread = new Thread(wakeups, "ferry-notify-wakeups");
        wakeupThread.setDaemon(true);
        wakeupThread.start();
        loop = new Thread(this::dispatch, "ferry-notify-dispatcher");
        loop.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        signal.wake();
        wakeups.stop();
        try {
            loop.join(10_000);
            senders.shutdown();
            if (!senders.awaitTermination(settings.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
            wakeupThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void dispatch() {
        while (running) {
            try {
                int free = settings.concurrency() - inFlight.get();
                if (free > 0) {
                    List<Delivery> claimed = queue.claim(owner, free, settings.claimTimeout(), clock.instant());
                    claimed.forEach(this::submit);
                    if (claimed.size() == free) {
                        continue;
                    }
                }
                signal.await(untilNextDue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Claiming notifications failed: {}", e.getMessage());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private Duration untilNextDue() {
        Duration wait = settings.fallbackPoll();
        if (inFlight.get() < settings.concurrency()) {
            Optional<Instant> next = queue.nextDue();
            if (next.isPresent()) {
                Duration until = Duration.between(clock.instant(), next.get());
                wait = until.compareTo(wait) < 0 ? until : wait;
            }
        }
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    private void submit(Delivery delivery) {
        inFlight.incrementAndGet();
        senders.execute(() -> {
            try {
                deliver(delivery);
            } catch (RuntimeException e) {
                // The claim expires and the row is tried again.
                log.error("Notification {} of job {} could not be sent or recorded", delivery.id(), delivery.jobId(), e);
            } finally {
                inFlight.decrementAndGet();
                signal.wake();
            }
        });
    }

    private void deliver(Delivery delivery) {
        Optional<NotificationTarget> target = targets.find(delivery.jobId(), delivery.targetKey());
        if (target.isEmpty()) {
            outcomes.failed(delivery, delivery.targetKey(), null,
                    new DeliveryFailedException("target " + delivery.targetKey() + " is no longer configured", false));
            return;
        }
        NotificationChannel channel = channels.get(target.get().type());
        try {
            if (channel == null) {
                throw new DeliveryFailedException("no channel for " + target.get().type(), false);
            }
            channel.send(target.get(), delivery);
            outcomes.sent(delivery, target.get());
        } catch (DeliveryFailedException failure) {
            log.info("Notification {} ({}) to {} failed on attempt {}: {}", delivery.id(), delivery.kind().code(),
                    target.get(), delivery.attempt(), failure.getMessage());
            outcomes.failed(delivery, target.get().toString(), target.get().type(), failure);
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
