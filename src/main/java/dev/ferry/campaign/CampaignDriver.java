package dev.ferry.campaign;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.Actor;
import dev.ferry.common.FerryException;
import dev.ferry.database.ChannelListener;
import dev.ferry.database.Wakeup;
import dev.ferry.job.CreatedJob;
import dev.ferry.job.JobManagement;
import dev.ferry.job.NewJob;
import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StoredPlan;
import dev.ferry.preflight.JobPreflight;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves running campaigns on, on every replica. Each pass takes a campaign's row lock with
 * {@code SKIP LOCKED} (another replica holding it is doing the same work), asks
 * {@link WavePolicy} what the current wave needs, and applies the answer until it says hold.
 * Woken by NOTIFY when a job ends or pauses ({@link CampaignWakeups}), by commands on this
 * replica, and by a slow poll. Everything it knows is in the database, so a restart or another
 * replica taking over changes nothing: a target's job is created under an idempotency key derived
 * from campaign and target, and started only while it is still CREATED.
 */
@Component
class CampaignDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignDriver.class);
    private static final int PASSES = 50;
    private static final String SYSTEM = Actor.SYSTEM.name();

    private final CampaignStore store;
    private final PlanCatalog plans;
    private final JobManagement jobs;
    private final JobPreflight preflight;
    private final CampaignRollbacks rollbacks;
    private final CampaignMetrics metrics;
    private final CampaignProperties properties;
    private final TransactionTemplate transactions;
    private final TransactionTemplate separately;
    private final Clock clock;
    private final Wakeup wakeup = new Wakeup();
    private final ChannelListener listener;

    private volatile boolean running;
    private Thread loop;
    private Thread listenerThread;

    CampaignDriver(
            CampaignStore store,
            PlanCatalog plans,
            JobManagement jobs,
            JobPreflight preflight,
            CampaignRollbacks rollbacks,
            CampaignMetrics metrics,
            CampaignProperties properties,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            Clock clock) {
        this.store = store;
        this.plans = plans;
        this.jobs = jobs;
        this.preflight = preflight;
        this.rollbacks = rollbacks;
        this.metrics = metrics;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.separately = new TransactionTemplate(transactionManager);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.listener = new ChannelListener(dataSource, CampaignWakeups.CHANNEL, wakeup);
    }

    /** Look at the campaigns now (a command on this replica changed one). */
    void wake() {
        wakeup.wake();
    }

    /** One pass over every campaign the driver moves; public to tests through {@link #drive}. */
    void pass() {
        for (UUID id : store.driven()) {
            try {
                drive(id);
            } catch (RuntimeException e) {
                // One campaign's trouble (the database away, a bug) must not stop the others.
                log.warn("campaign {}: {}", id, e.toString());
            }
        }
    }

    /** Moves one campaign on as far as it can go now; does nothing if another replica holds it. */
    void drive(UUID id) {
        transactions.executeWithoutResult(s -> store.lockIfDriven(id).ifPresent(this::advance));
    }

    /** Where a pass is: the campaign's state and current wave as this transaction has written them. */
    private static final class Position {
        CampaignState state;
        int wave;

        Position(CampaignState state, int wave) {
            this.state = state;
            this.wave = wave;
        }
    }

    private void advance(CampaignStore.Campaign campaign) {
        Position at = new Position(campaign.state(), campaign.currentWave());
        for (int pass = 0; pass < PASSES; pass++) {
            Instant now = clock.instant();
            if (at.state == CampaignState.ROLLING_BACK) {
                finishRollback(campaign, now);
                return;
            }
            CampaignStore.Wave row = store.waves(campaign.id()).get(at.wave);
            boolean more =
                    row.finishedAt() != null ? afterWave(campaign, at, row, now) : inWave(campaign, at.wave, row, now);
            if (!more) {
                return;
            }
        }
    }

    /** The wave is done: soak, then the next wave or the end. True when there is a next wave to look at. */
    private boolean afterWave(CampaignStore.Campaign campaign, Position at, CampaignStore.Wave row, Instant now) {
        UUID id = campaign.id();
        CampaignDefinition.Wave spec = campaign.definition().waves().get(at.wave);
        if (!spec.soak().isZero() && row.soakUntil() == null) {
            Instant until = now.plus(spec.soak());
            store.waveTimes(id, at.wave, "soak_until", until);
            store.state(id, CampaignState.SOAKING, now, null);
            store.record(
                    id,
                    now,
                    SYSTEM,
                    CampaignEventType.SOAK_STARTED,
                    at.wave + 1,
                    null,
                    JsonNodeFactory.instance.objectNode().put("until", until.toString()));
            return false;
        }
        if (row.soakUntil() != null && now.isBefore(row.soakUntil())) {
            if (at.state != CampaignState.SOAKING) {
                store.state(id, CampaignState.SOAKING, now, null);
            }
            return false;
        }
        if (at.wave + 1 == campaign.definition().waves().size()) {
            store.state(id, CampaignState.SUCCEEDED, now, null);
            store.record(id, now, SYSTEM, CampaignEventType.CAMPAIGN_SUCCEEDED, null, null, null);
            metrics.campaignFinished("succeeded");
            return false;
        }
        at.wave++;
        store.currentWave(id, at.wave, now);
        if (at.state != CampaignState.RUNNING) {
            at.state = CampaignState.RUNNING;
            store.state(id, at.state, now, null);
        }
        return true;
    }

    /** Applies what {@link WavePolicy} says the running wave needs. True when it should be asked again. */
    private boolean inWave(CampaignStore.Campaign campaign, int wave, CampaignStore.Wave row, Instant now) {
        UUID id = campaign.id();
        CampaignDefinition.Wave spec = campaign.definition().waves().get(wave);
        List<CampaignStore.Target> targets = targetsOf(id, wave);
        WavePolicy.Next next = WavePolicy.decide(new WavePolicy.WaveSnapshot(
                row.startedAt() != null,
                spec.approval() != null && row.approvedAt() == null,
                spec.maxConcurrent(),
                campaign.definition().failurePolicy(),
                row.acceptedFailures(),
                targets.stream().map(CampaignStore.Target::policyState).toList()));
        if (next instanceof WavePolicy.AwaitApproval) {
            store.state(id, CampaignState.AWAITING_APPROVAL, now, null);
            store.record(
                    id,
                    now,
                    SYSTEM,
                    CampaignEventType.WAVE_AWAITING_APPROVAL,
                    wave + 1,
                    null,
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("required", spec.approval().required())
                            .put("roles", String.join(",", spec.approval().roles())));
            return false;
        } else if (next instanceof WavePolicy.Begin) {
            store.waveTimes(id, wave, "started_at", now);
            store.record(id, now, SYSTEM, CampaignEventType.WAVE_STARTED, wave + 1, spec.name(), null);
            metrics.waveStarted();
            return true;
        } else if (next instanceof WavePolicy.Launch launch) {
            for (int ordinal : launch.ordinals()) {
                launch(campaign, wave, target(targets, ordinal));
            }
            return true;
        } else if (next instanceof WavePolicy.Halt halt) {
            halt(campaign, wave, halt, targets, now);
            return false;
        } else if (next instanceof WavePolicy.Complete) {
            store.waveTimes(id, wave, "finished_at", now);
            long failed = targets.stream().filter(t -> t.policyState().failed()).count();
            store.record(
                    id,
                    now,
                    SYSTEM,
                    CampaignEventType.WAVE_COMPLETED,
                    wave + 1,
                    spec.name(),
                    JsonNodeFactory.instance.objectNode().put("failed", failed));
            return true;
        }
        return false; // hold: nothing to do until a job changes
    }

    private void halt(
            CampaignStore.Campaign campaign,
            int wave,
            WavePolicy.Halt halt,
            List<CampaignStore.Target> targets,
            Instant now) {
        UUID id = campaign.id();
        FailurePolicy policy = campaign.definition().failurePolicy();
        String reason = halt.failed() + " of " + halt.size() + " job(s) of wave " + (wave + 1)
                + " failed or rolled back (limit " + policy.describe() + ")";
        store.state(id, CampaignState.HALTED, now, reason);
        store.record(id, now, SYSTEM, CampaignEventType.CAMPAIGN_HALTED, wave + 1, reason, null);
        metrics.halted();
        if (policy.rollbackWave()) {
            CampaignRollbacks.Report report =
                    rollbacks.rollBack(targets, campaign.createdBy(), "campaign " + campaign.name() + ": " + reason);
            store.record(
                    id,
                    clock.instant(),
                    SYSTEM,
                    CampaignEventType.WAVE_ROLLBACK_REQUESTED,
                    wave + 1,
                    null,
                    report.toJson());
        }
    }

    private static CampaignStore.Target target(List<CampaignStore.Target> targets, int ordinal) {
        return targets.stream().filter(t -> t.ordinal() == ordinal).findFirst().orElseThrow();
    }

    private List<CampaignStore.Target> targetsOf(UUID id, int wave) {
        return store.targets(id).stream().filter(t -> t.wave() == wave).toList();
    }

    /**
     * Creates the target's job as the campaign's creator (so four-eyes holds for its approvals)
     * and starts it through preflight like an operator would. Both run in transactions of their
     * own: a job that cannot start is this target's failure, not the campaign's.
     */
    private void launch(CampaignStore.Campaign campaign, int wave, CampaignStore.Target target) {
        Instant now = clock.instant();
        Actor actor = new Actor(campaign.createdBy(), Set.of());
        StoredPlan plan = plans.findById(campaign.planId()).orElseThrow();
        String tag = "campaign " + campaign.name() + " (" + campaign.id() + ") wave " + (wave + 1) + " target "
                + target.name();
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("target", target.name());
        try {
            CreatedJob job = separately.execute(s -> jobs.create(
                    new NewJob(
                            plan.name(), plan.version(), campaign.name() + " / " + target.name(), target.parameters()),
                    actor,
                    "ferry-campaign:" + campaign.id() + ":" + target.ordinal()));
            store.launched(campaign.id(), target.ordinal(), job.id(), now);
            detail.put("job", job.id().toString());
            separately.executeWithoutResult(s -> {
                if (store.jobState(job.id()) == JobState.CREATED) {
                    preflight.start(job.id(), actor, tag, false);
                }
            });
            store.record(
                    campaign.id(), clock.instant(), SYSTEM, CampaignEventType.JOB_LAUNCHED, wave + 1, null, detail);
            metrics.jobLaunched();
        } catch (FerryException e) {
            store.launchFailed(campaign.id(), target.ordinal(), e.getMessage());
            detail.put("problem", e.problemType()).put("error", e.getMessage());
            store.record(
                    campaign.id(),
                    clock.instant(),
                    SYSTEM,
                    CampaignEventType.JOB_LAUNCH_FAILED,
                    wave + 1,
                    e.getMessage(),
                    detail);
        }
    }

    /** A campaign rollback is over when none of its jobs is still rolling back. */
    private void finishRollback(CampaignStore.Campaign campaign, Instant now) {
        boolean rolling = store.targets(campaign.id()).stream().anyMatch(t -> t.jobState() == JobState.ROLLING_BACK);
        if (!rolling) {
            store.state(campaign.id(), CampaignState.ROLLED_BACK, now, null);
            store.record(campaign.id(), now, SYSTEM, CampaignEventType.CAMPAIGN_ROLLED_BACK, null, null, null);
            metrics.campaignFinished("rolled-back");
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        listenerThread = new Thread(listener, "campaign-listener");
        listenerThread.setDaemon(true);
        listenerThread.start();
        loop = new Thread(this::run, "campaign-driver");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (running) {
            try {
                pass();
                wakeup.await(properties.poll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("campaign driver: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        listener.stop();
        wakeup.wake();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
