package dev.ferry.execution;

import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.database.ChannelListener;
import dev.ferry.job.ClaimedStep;
import dev.ferry.job.JobTimers;
import dev.ferry.job.StepCall;
import dev.ferry.job.StepRuns;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's worker loop: claims due steps up to its concurrency, runs each on a worker
 * thread, and sleeps until woken (NOTIFY, a freed slot) or the next step falls due, with a slow
 * fallback poll. On shutdown it stops claiming and lets in-flight calls record their results.
 */
@Component
public class WorkDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkDispatcher.class);

    private final StepQueue queue;
    private final StepRuns runs;
    private final JobTimers timers;
    private final WorkSignal signal;
    private final DataSource dataSource;
    private final WorkerProperties properties;
    private final Clock clock;
    private final String owner = ownerId();
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean running;
    private Thread loop;
    private Thread listenerThread;
    private ChannelListener listener;
    private ExecutorService workers;

    WorkDispatcher(StepQueue queue, StepRuns runs, JobTimers timers, WorkSignal signal, DataSource dataSource,
            WorkerProperties properties, Clock clock) {
        this.queue = queue;
        this.runs = runs;
        this.timers = timers;
        this.signal = signal;
        this.dataSource = dataSource;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (running || !properties.enabled()) {
            return;
        }
        running = true;
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(properties.concurrency(),
                r -> new Thread(r, "ferry-worker-" + threads.incrementAndGet()));
        listener = new ChannelListener(dataSource, PostgresReadyWork.CHANNEL, signal);
        listenerThread = new Thread(listener, "ferry-notifications");
        listenerThread.setDaemon(true);
        listenerThread.start();
        loop = new Thread(this::dispatch, "ferry-dispatcher");
        loop.start();
        log.info("Worker {} started with {} slots", owner, properties.concurrency());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        signal.wake();
        listener.stop();
        long began = System.nanoTime();
        try {
            loop.join(10_000);
            workers.shutdown();
            int running = inFlight.get();
            if (!workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(1, TimeUnit.SECONDS);
            }
            int released = releaseLeases();
            log.info("Worker {} stopped in {} ms: {} steps were running, {} leases released for other replicas",
                    owner, (System.nanoTime() - began) / 1_000_000, running, released);
            listenerThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Steps still leased to this replica (their calls did not finish in the grace period) are free at once. */
    private int releaseLeases() {
        try {
            return queue.expireLeases(owner, clock.instant());
        } catch (RuntimeException e) {
            log.warn("Worker {} could not release its leases ({}); they expire after {}", owner, e.getMessage(),
                    properties.lease());
            return 0;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The lease owner name this replica writes into claimed steps. */
    public String owner() {
        return owner;
    }

    private void dispatch() {
        while (running) {
            try {
                timers.wakeDue(clock.instant());
                int free = properties.concurrency() - inFlight.get();
                if (free > 0) {
                    List<ClaimedStep> claimed = queue.claim(owner, free, properties.lease(), clock.instant());
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
                log.warn("Claiming work failed: {}", e.getMessage());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private Duration untilNextDue() {
        Duration wait = properties.fallbackPoll();
        if (inFlight.get() < properties.concurrency()) {
            wait = shorter(wait, queue.nextDue());
        }
        wait = shorter(wait, timers.nextWake());
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    private Duration shorter(Duration wait, Optional<Instant> next) {
        if (next.isEmpty()) {
            return wait;
        }
        Duration until = Duration.between(clock.instant(), next.get());
        return until.compareTo(wait) < 0 ? until : wait;
    }

    private void submit(ClaimedStep claim) {
        inFlight.incrementAndGet();
        workers.execute(() -> {
            try {
                run(claim);
            } finally {
                inFlight.decrementAndGet();
                signal.wake();
            }
        });
    }

    private void run(ClaimedStep claim) {
        // Every log line written while working on a step, here or in an action, names the job and step.
        MDC.put("job_id", claim.jobId().toString());
        try {
            Optional<StepCall> call = runs.begin(claim);
            if (call.isEmpty()) {
                return;
            }
            MDC.put("phase", call.get().phase().name());
            MDC.put("step", call.get().context().stepId());
            runs.finish(claim, call(call.get()));
        } catch (RuntimeException e) {
            // The lease expires and another worker (or this one) takes the step again.
            log.error("Step {} of job {} could not be run or recorded", claim.stepId(), claim.jobId(), e);
        } finally {
            MDC.remove("job_id");
            MDC.remove("phase");
            MDC.remove("step");
        }
    }

    private static ActionResult call(StepCall call) {
        try {
            return call.invoke();
        } catch (ActionFailure failure) {
            return failure.toResult();
        } catch (RuntimeException e) {
            // The message may quote a secret parameter (the job's error is scrubbed, this log line is not):
            // the exception's type at WARN, the whole of it only at DEBUG.
            log.warn("Handler {} threw {}", call.handler().name(), e.getClass().getName());
            log.debug("Handler {} threw", call.handler().name(), e);
            return ActionResult.failed(false, "HANDLER_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
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
