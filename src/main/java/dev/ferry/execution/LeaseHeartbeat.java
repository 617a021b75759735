package dev.ferry.execution;

import dev.ferry.job.ClaimedStep;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the steps this replica is running from expiring under them: every third of
 * the lease it extends them. Without it a call that outlasts the lease (a slow AWS answer, a
 * starved CPU) would be claimed and run a second time while the first is still under way, and only
 * the first's result would be refused: its side effect would already have happened twice.
 *
 * <p>Only steps still in hand are extended, each fenced by its token, so a step another replica has
 * taken over is never extended again, and a step whose worker gave up (its result could not be
 * recorded) expires as before and is retried.
 */
final class LeaseHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final StepQueue queue;
    private final Duration lease;
    private final Clock clock;
    private final Set<ClaimedStep> running = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    LeaseHeartbeat(StepQueue queue, Duration lease, Clock clock) {
        this.queue = queue;
        this.lease = lease;
        this.clock = clock;
    }

    synchronized void start() {
        long every = Math.max(lease.toMillis() / 3, 100);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops extending; the leases still held then run out or are released by the caller. */
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void running(ClaimedStep step) {
        running.add(step);
    }

    void done(ClaimedStep step) {
        running.remove(step);
    }

    private void beat() {
        List<ClaimedStep> inHand = List.copyOf(running);
        if (inHand.isEmpty()) {
            return;
        }
        try {
            queue.renewLeases(inHand, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            log.warn(
                    "Could not extend the leases of {} running steps ({}); they expire after {}",
                    inHand.size(),
                    e.getMessage(),
                    lease);
        }
    }
}
