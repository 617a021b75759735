package dev.ferry.execution;

import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.database.ClaimLoop;
import dev.ferry.job.ClaimedStep;
import dev.ferry.job.JobTimers;
import dev.ferry.job.StepCall;
import dev.ferry.job.StepRuns;
import dev.ferry.job.WorkerSlots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's workers: a {@link ClaimLoop} over the step queue that also wakes waiting jobs
 * whose timers fell due. On shutdown it stops claiming, lets in-flight calls record their results
 * for a grace period, and then frees the leases of the steps it could not finish.
 */
@Component
public class WorkDispatcher implements SmartLifecycle, WorkerSlots {

    private static final Logger log = LoggerFactory.getLogger(WorkDispatcher.class);

    private final StepQueue queue;
    private final StepRuns runs;
    private final WorkerProperties properties;
    private final Clock clock;
    private final ClaimLoop<ClaimedStep> loop;
    private final WorkSignal signal;
    private final LeaseHeartbeat heartbeat;

    WorkDispatcher(
            StepQueue queue,
            StepRuns runs,
            JobTimers timers,
            WorkSignal signal,
            DataSource dataSource,
            WorkerProperties properties,
            Clock clock) {
        this.queue = queue;
        this.runs = runs;
        this.properties = properties;
        this.clock = clock;
        this.signal = signal;
        this.heartbeat = new LeaseHeartbeat(queue, properties.lease(), clock);
        this.loop = new ClaimLoop<>(
                "ferry-worker",
                properties.concurrency(),
                properties.urgentSlots(),
                properties.fallbackPoll(),
                clock,
                dataSource,
                PostgresReadyWork.CHANNEL,
                signal,
                new ClaimLoop.Queue<>() {
                    /** When the earliest timer falls due, as last read; null: not known, look. */
                    private volatile Instant nextTimer;

                    private volatile Instant timersReadAt = Instant.MIN;

                    /** When only the urgent lane had room and the queue was last read for it. */
                    private volatile Instant urgentReadAt = Instant.MIN;

                    @Override
                    public void beforeClaim() {
                        // Timers are read before every sleep (nextDue); while busy, at least once a
                        // second. Not before every claim: under load that is a query per step.
                        Instant now = clock.instant();
                        boolean due = nextTimer != null && !nextTimer.isAfter(now);
                        if (due || timersReadAt.isBefore(now.minusSeconds(1)) || timersReadAt.isAfter(now)) {
                            timers.wakeDue(now);
                            nextTimer = timers.nextWake().orElse(null);
                            timersReadAt = now;
                        }
                    }

                    @Override
                    public List<ClaimedStep> claim(String owner, int max) {
                        return claim(owner, max, max);
                    }

                    @Override
                    public List<ClaimedStep> claim(String owner, int max, int routineMax) {
                        Instant now = clock.instant();
                        if (routineMax == 0
                                && !signal.urgentWaiting()
                                && urgentReadAt.plus(properties.fallbackPoll()).isAfter(now)) {
                            // Only the urgent lane has room and no urgent work was announced: a
                            // routine wake-up (every queued step) would otherwise cost a query.
                            return List.of();
                        }
                        urgentReadAt = routineMax == 0 ? now : Instant.MIN;
                        signal.claiming();
                        return queue.claim(owner, max, routineMax, properties.lease(), now);
                    }

                    @Override
                    public Optional<Instant> nextDue(boolean slotFree) {
                        Optional<Instant> step = slotFree ? queue.nextDue() : Optional.empty();
                        Optional<Instant> timer = timers.nextWake();
                        nextTimer = timer.orElse(null);
                        timersReadAt = clock.instant();
                        return step.isEmpty()
                                ? timer
                                : timer.isEmpty() || step.get().isBefore(timer.get()) ? step : timer;
                    }
                },
                this::run);
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            heartbeat.start();
            loop.start();
            signal.capacity(loop::hasFreeSlot);
            log.info(
                    "Worker {} started with {} slots and {} more for urgent work",
                    loop.owner(),
                    properties.concurrency(),
                    properties.urgentSlots());
        }
    }

    @Override
    public void stop() {
        if (!loop.isRunning()) {
            return;
        }
        long began = System.nanoTime();
        log.info(
                "Worker {} stopping: claims no more steps, gives running steps {} to finish",
                loop.owner(),
                properties.shutdownGrace());
        int running = loop.stop(properties.shutdownGrace());
        heartbeat.stop();
        int released = releaseLeases();
        log.info(
                "Worker {} stopped in {} ms: {} steps were running, {} leases released for other replicas",
                loop.owner(),
                (System.nanoTime() - began) / 1_000_000,
                running,
                released);
    }

    /** Steps still leased to this replica (their calls did not finish in the grace period) are free at once. */
    private int releaseLeases() {
        try {
            return queue.expireLeases(loop.owner(), clock.instant());
        } catch (RuntimeException e) {
            log.warn(
                    "Worker {} could not release its leases ({}); they expire after {}",
                    loop.owner(),
                    e.getMessage(),
                    properties.lease());
            return 0;
        }
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** The lease owner name this replica writes into claimed steps. */
    public String owner() {
        return loop.owner();
    }

    @Override
    public Optional<Slot> reserve(boolean urgent) {
        if (!properties.enabled() || !loop.tryReserve(urgent)) {
            return Optional.empty();
        }
        return Optional.of(new Slot() {
            @Override
            public String owner() {
                return loop.owner();
            }

            @Override
            public Duration lease() {
                return properties.lease();
            }

            @Override
            public void run(StepCall call) {
                if (!loop.runReserved(() -> WorkDispatcher.this.run(call.claim(), () -> Optional.of(call)))) {
                    // Stopped meanwhile: free the lease at once, as stop() does, for another replica.
                    releaseLeases();
                }
            }

            @Override
            public void release() {
                loop.release();
            }
        });
    }

    private void run(ClaimedStep claim) {
        run(claim, () -> runs.begin(claim));
    }

    /** Runs {@code claim}, begun by {@code begin}, and the steps chained after it. */
    private void run(ClaimedStep claim, Supplier<Optional<StepCall>> begin) {
        // Every log line written while working on a step, here or in an action, names the job and step.
        MDC.put("job_id", claim.jobId().toString());
        ClaimedStep held = claim;
        heartbeat.running(held);
        try {
            Optional<StepCall> call = begin.get();
            for (int steps = 1; call.isPresent(); steps++) {
                MDC.put("phase", call.get().phase().name());
                MDC.put("step", call.get().context().stepId());
                ActionResult result = call(call.get());
                call = runs.finish(held, result, mayChain(steps) ? properties.lease() : null);
                if (call.isPresent()) {
                    heartbeat.done(held);
                    held = call.get().claim();
                    heartbeat.running(held);
                }
            }
        } catch (RuntimeException e) {
            // The lease expires and another worker (or this one) takes the step again.
            log.error("Step {} of job {} could not be run or recorded", held.stepId(), held.jobId(), e);
        } finally {
            heartbeat.done(held);
            MDC.remove("job_id");
            MDC.remove("phase");
            MDC.remove("step");
        }
    }

    /**
     * Whether this worker runs the job's next step itself after {@code steps} in a row: not while
     * stopping, not past the chain limit (other jobs' steps wait in the queue), not while urgent
     * work waits for a slot, and not while the urgent lane is in use (this worker's slot goes back,
     * so the lane is free again for the next approval or rollback).
     */
    private boolean mayChain(int steps) {
        return steps < properties.chainLimit() && loop.isRunning() && !signal.urgentWaiting() && !loop.inUrgentLane();
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
}
