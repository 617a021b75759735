package dev.ferry.campaign;

import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StoredPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** Reads of campaigns for views; never changes anything. */
@Service
public class CampaignQueries {

    private static final String NOT_LAUNCHED = "PENDING";
    private static final String LAUNCH_FAILED = "LAUNCH_FAILED";

    private final CampaignStore store;
    private final PlanCatalog plans;
    private final Clock clock;

    CampaignQueries(CampaignStore store, PlanCatalog plans, Clock clock) {
        this.store = store;
        this.plans = plans;
        this.clock = clock;
    }

    /** One consistent read (repeatable read), so counts and cells agree. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public CampaignView view(UUID id) {
        CampaignStore.Campaign c = store.find(id).orElseThrow(() -> new CampaignNotFoundException(id));
        StoredPlan plan = plans.findById(c.planId()).orElseThrow();
        Instant now = clock.instant();
        List<CampaignStore.Wave> rows = store.waves(id);
        List<CampaignStore.Target> targets = store.targets(id);
        List<CampaignView.Wave> waves = new ArrayList<>();
        for (CampaignStore.Wave row : rows) {
            CampaignDefinition.Wave spec = c.definition().waves().get(row.wave());
            List<CampaignStore.Target> mine =
                    targets.stream().filter(t -> t.wave() == row.wave()).toList();
            CampaignView.Approval approval = spec.approval() == null
                    ? null
                    : new CampaignView.Approval(
                            spec.approval().required(),
                            spec.approval().roles(),
                            spec.approval().separationOfDuties(),
                            spec.approval().expiresAfter(),
                            store.validApprovals(id, row.wave(), now).stream()
                                    .map(a -> new CampaignView.Given(a.actor(), a.comment(), a.at(), a.expiresAt()))
                                    .toList());
            waves.add(new CampaignView.Wave(
                    row.wave() + 1,
                    row.name(),
                    waveState(c, row, now),
                    spec.maxConcurrent(),
                    approval,
                    spec.soak(),
                    row.startedAt(),
                    row.approvedAt(),
                    mine.stream()
                            .map(CampaignStore.Target::firstStepAt)
                            .filter(Objects::nonNull)
                            .min(Instant::compareTo)
                            .orElse(null),
                    row.finishedAt(),
                    row.soakUntil(),
                    row.acceptedFailures(),
                    counts(mine),
                    mine.stream().map(CampaignQueries::cell).toList()));
        }
        return new CampaignView(
                id.toString(),
                c.name(),
                plan.name(),
                plan.version(),
                c.state().name(),
                c.currentWave() + 1,
                c.createdBy(),
                c.createdAt(),
                c.updatedAt(),
                c.finishedAt(),
                c.stoppedReason(),
                c.definition().failurePolicy(),
                counts(targets),
                blockedBy(c, rows, targets, now),
                CampaignCommands.allowed(c.state()),
                waves);
    }

    public List<CampaignView.Summary> list(CampaignState state, int limit) {
        Map<UUID, StoredPlan> byId = new HashMap<>();
        Function<UUID, StoredPlan> plan =
                planId -> byId.computeIfAbsent(planId, p -> plans.findById(p).orElseThrow());
        return store.list(state, limit).stream()
                .map(c -> new CampaignView.Summary(
                        c.id().toString(),
                        c.name(),
                        plan.apply(c.planId()).name(),
                        plan.apply(c.planId()).version(),
                        c.state().name(),
                        c.currentWave() + 1,
                        c.definition().waves().size(),
                        c.createdBy(),
                        c.createdAt(),
                        c.updatedAt()))
                .toList();
    }

    public List<CampaignView.Event> events(UUID id, long after, int limit) {
        store.find(id).orElseThrow(() -> new CampaignNotFoundException(id));
        return store.events(id, after, limit).stream()
                .map(e ->
                        new CampaignView.Event(e.seq(), e.at(), e.actor(), e.type(), e.wave(), e.reason(), e.detail()))
                .toList();
    }

    private static CampaignView.Job cell(CampaignStore.Target t) {
        return new CampaignView.Job(
                t.name(),
                t.labels(),
                t.jobId() == null ? null : t.jobId().toString(),
                state(t),
                t.currentPhase(),
                t.launchError());
    }

    private static String state(CampaignStore.Target t) {
        if (t.policyState().launchFailed()) {
            return LAUNCH_FAILED;
        }
        return t.jobState() == null ? NOT_LAUNCHED : t.jobState().name();
    }

    private static Map<String, Long> counts(List<CampaignStore.Target> targets) {
        return targets.stream()
                .collect(Collectors.groupingBy(CampaignQueries::state, TreeMap::new, Collectors.counting()));
    }

    private static String waveState(CampaignStore.Campaign c, CampaignStore.Wave row, Instant now) {
        if (row.finishedAt() != null) {
            return row.soakUntil() != null && now.isBefore(row.soakUntil()) && c.state() == CampaignState.SOAKING
                    ? "SOAKING"
                    : "DONE";
        }
        if (row.wave() == c.currentWave()) {
            switch (c.state()) {
                case AWAITING_APPROVAL, HALTED, PAUSED, ROLLING_BACK, ROLLED_BACK, CANCELLED -> {
                    return c.state().name();
                }
                default -> {}
            }
        }
        return row.startedAt() != null ? "RUNNING" : "PENDING";
    }

    /** What keeps the next wave from starting, in words; null once the campaign is over. */
    private static String blockedBy(
            CampaignStore.Campaign c, List<CampaignStore.Wave> rows, List<CampaignStore.Target> targets, Instant now) {
        int wave = c.currentWave();
        CampaignStore.Wave row = rows.get(wave);
        CampaignDefinition.Wave spec = c.definition().waves().get(wave);
        return switch (c.state()) {
            case SUCCEEDED, CANCELLED, ROLLED_BACK -> null;
            case ROLLING_BACK -> "the campaign is rolling back";
            case PAUSED -> "the campaign is paused; resume it";
            case HALTED -> c.stoppedReason() + "; deal with the failed jobs, then resume, cancel or roll back";
            case AWAITING_APPROVAL -> "wave " + (wave + 1) + " awaits approval by "
                    + spec.approval().required() + " of the roles "
                    + spec.approval().roles();
            case SOAKING -> "wave " + (wave + 1) + " soaks until " + row.soakUntil();
            case RUNNING -> {
                List<CampaignStore.Target> mine =
                        targets.stream().filter(t -> t.wave() == wave).toList();
                WavePolicy.Next next = WavePolicy.decide(new WavePolicy.WaveSnapshot(
                        row.startedAt() != null,
                        spec.approval() != null && row.approvedAt() == null,
                        spec.maxConcurrent(),
                        c.definition().failurePolicy(),
                        row.acceptedFailures(),
                        mine.stream().map(CampaignStore.Target::policyState).toList()));
                yield next instanceof WavePolicy.Hold hold
                        ? "wave " + (wave + 1) + ": " + hold.why()
                        : "wave " + (wave + 1) + " is starting jobs";
            }
        };
    }
}
