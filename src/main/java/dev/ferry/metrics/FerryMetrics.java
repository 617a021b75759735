package dev.ferry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engine's events as meters. Callers are inside a job's transaction; a meter is touched only
 * after it commits, so a transaction that rolls back (a lost race, a crash) counts nothing.
 */
@Component
public class FerryMetrics {

    private final MeterRegistry meters;

    public FerryMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Present from the start, so dashboards and alert rules see 0 rather than no data.
        for (String trigger : new String[] {"operator", "alert", "observe-gate", "step-failure"}) {
            rollbacks(trigger);
        }
        leasesExpired();
        schedulingDelay();
    }

    /** A step ended for good ({@code succeeded}, {@code failed}, {@code compensated}, ...). */
    public void stepFinished(String plan, String phase, String action, String outcome, Duration took) {
        afterCommit(() -> Timer.builder("ferry.step.duration")
                .description("Steps from start to end, over all attempts")
                .tag("plan", plan)
                .tag("phase", phase)
                .tag("action", action)
                .tag("outcome", outcome)
                .register(meters)
                .record(took));
    }

    public void phaseFinished(String plan, String phase, String outcome, Duration took) {
        afterCommit(() -> Timer.builder("ferry.phase.duration")
                .description("Phases from start to end")
                .tag("plan", plan)
                .tag("phase", phase)
                .tag("outcome", outcome)
                .register(meters)
                .record(took));
    }

    /** From the approval request to the phase starting (quorum reached, window open). */
    public void approvalWaited(String plan, String phase, Duration took) {
        afterCommit(() -> Timer.builder("ferry.approval.wait")
                .description("Approval requested to phase started")
                .tag("plan", plan)
                .tag("phase", phase)
                .register(meters)
                .record(took));
    }

    /** A rollback began; {@code trigger} is {@code operator}, {@code alert} or {@code observe-gate}. */
    public void rollbackStarted(String trigger) {
        afterCommit(() -> rollbacks(trigger).increment());
    }

    /** One job outcome of a received alert ({@code ROLLED_BACK}, {@code DUPLICATE}, ...). */
    public void alertHandled(String source, String outcome) {
        afterCommit(() -> Counter.builder("ferry.alerts")
                .description("Alerts received, by source and what they did")
                .tag("source", source)
                .tag("outcome", outcome)
                .register(meters)
                .increment());
    }

    /** How long a due step waited for a worker (ready to running). */
    public void schedulingDelay(Duration took) {
        schedulingDelay().record(took.isNegative() ? Duration.ZERO : took);
    }

    /** A worker took over a step whose previous worker's lease had run out (it crashed or hung). */
    public void leaseExpired() {
        leasesExpired().increment();
    }

    private Counter rollbacks(String trigger) {
        return Counter.builder("ferry.rollbacks")
                .description("Rollbacks started, by what triggered them")
                .tag("trigger", trigger)
                .register(meters);
    }

    private Counter leasesExpired() {
        return Counter.builder("ferry.leases.expired")
                .description("Steps re-claimed after their lease ran out")
                .register(meters);
    }

    private Timer schedulingDelay() {
        return Timer.builder("ferry.scheduling.delay")
                .description("Step due to step claimed by a worker")
                .register(meters);
    }

    private static void afterCommit(Runnable record) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            record.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                record.run();
            }
        });
    }
}
