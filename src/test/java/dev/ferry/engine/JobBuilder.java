package dev.ferry.engine;

import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import dev.ferry.plan.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Snapshots for decider tests: a job with all seven phases PENDING and no steps, then what a row needs. */
final class JobBuilder {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private JobState state = JobState.RUNNING;
    private Phase current;
    private Instant now = NOW;
    private boolean resourcesLocked = true;
    private final Map<Phase, PhaseBuilder> phases = new EnumMap<>(Phase.class);
    private final List<StepBuilder> steps = new ArrayList<>();

    JobBuilder() {
        for (Phase phase : Phase.values()) {
            phases.put(phase, new PhaseBuilder(phase));
        }
    }

    static JobBuilder running() {
        return new JobBuilder();
    }

    JobBuilder state(JobState state) {
        this.state = state;
        return this;
    }

    JobBuilder current(Phase phase) {
        this.current = phase;
        return this;
    }

    JobBuilder now(Instant now) {
        this.now = now;
        return this;
    }

    JobBuilder resourcesLocked(boolean locked) {
        this.resourcesLocked = locked;
        return this;
    }

    /** Phases before {@code phase} SUCCEEDED, {@code phase} in {@code status}. */
    JobBuilder at(Phase phase, PhaseStatus status) {
        for (Phase p : Phase.values()) {
            if (p.compareTo(phase) < 0) {
                phases.get(p).status = PhaseStatus.SUCCEEDED;
                phases.get(p).startedAt = now.minusSeconds(60);
                phases.get(p).finishedAt = now.minusSeconds(30);
            }
        }
        phases.get(phase).status = status;
        current = phase;
        return this;
    }

    JobBuilder phase(Phase phase, UnaryOperator<PhaseBuilder> change) {
        change.apply(phases.get(phase));
        return this;
    }

    JobBuilder step(String id, Phase phase, StepStatus status) {
        return step(id, phase, status, s -> s);
    }

    JobBuilder step(String id, Phase phase, StepStatus status, UnaryOperator<StepBuilder> change) {
        StepBuilder step = new StepBuilder(id, phase, steps.size(), status);
        if (status != StepStatus.PENDING) {
            step.startedAt = now.minusSeconds(10);
            step.attempt = 1;
        }
        steps.add(change.apply(step));
        return this;
    }

    Snapshot build() {
        return new Snapshot(
                state,
                current,
                now,
                resourcesLocked,
                phases.values().stream().map(PhaseBuilder::build).toList(),
                steps.stream().map(StepBuilder::build).toList());
    }

    static final class PhaseBuilder {
        private final Phase phase;
        PhaseStatus status = PhaseStatus.PENDING;
        boolean requiresApproval;
        int approvalsRequired;
        int approvalRound;
        boolean quorumReached;
        Instant approvalRequestedAt;
        Instant earliestStart;
        Instant startedAt;
        Instant finishedAt;
        NotBefore notBefore;
        MaintenanceWindow window;

        PhaseBuilder(Phase phase) {
            this.phase = phase;
        }

        PhaseBuilder approval(int required, int round, boolean reached) {
            requiresApproval = true;
            approvalsRequired = required;
            approvalRound = round;
            quorumReached = reached;
            return this;
        }

        PhaseBuilder status(PhaseStatus status) {
            this.status = status;
            return this;
        }

        PhaseBuilder startedAt(Instant at) {
            startedAt = at;
            return this;
        }

        PhaseBuilder approvalRequestedAt(Instant at) {
            approvalRequestedAt = at;
            return this;
        }

        PhaseBuilder earliestStart(Instant at) {
            earliestStart = at;
            return this;
        }

        PhaseBuilder notBefore(NotBefore notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        PhaseBuilder window(MaintenanceWindow window) {
            this.window = window;
            return this;
        }

        PhaseSnapshot build() {
            return new PhaseSnapshot(
                    phase,
                    status,
                    requiresApproval,
                    approvalsRequired,
                    approvalRound,
                    quorumReached,
                    approvalRequestedAt,
                    earliestStart,
                    startedAt,
                    finishedAt,
                    notBefore,
                    window);
        }
    }

    static final class StepBuilder {
        private final String id;
        private final Phase phase;
        private final int ordinal;
        private final StepStatus status;
        String action = "noop";
        int attempt;
        int maxAttempts = 3;
        boolean irreversible;
        Instant startedAt;
        Instant attemptStartedAt;
        Instant deadlineAt;
        boolean leased;
        boolean queued;
        boolean hasError;
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(4), Duration.ofMinutes(5), 2.0);
        boolean rollbackOnFailure;
        boolean gate;
        boolean undoable;
        Duration timeout;
        Duration estimate;

        StepBuilder(String id, Phase phase, int ordinal, StepStatus status) {
            this.id = id;
            this.phase = phase;
            this.ordinal = ordinal;
            this.status = status;
        }

        StepBuilder attempt(int attempt, int maxAttempts) {
            this.attempt = attempt;
            this.maxAttempts = maxAttempts;
            return this;
        }

        StepBuilder leased() {
            leased = true;
            attemptStartedAt = startedAt;
            return this;
        }

        StepBuilder queued() {
            queued = true;
            return this;
        }

        StepBuilder hasError() {
            hasError = true;
            return this;
        }

        StepBuilder undoable() {
            undoable = true;
            return this;
        }

        StepBuilder irreversible() {
            irreversible = true;
            return this;
        }

        StepBuilder rollbackOnFailure(boolean gate) {
            rollbackOnFailure = true;
            this.gate = gate;
            if (gate) {
                action = "gate";
            }
            return this;
        }

        StepBuilder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        StepBuilder deadlineAt(Instant at) {
            deadlineAt = at;
            return this;
        }

        StepBuilder estimate(Duration estimate) {
            this.estimate = estimate;
            return this;
        }

        StepSnapshot build() {
            return new StepSnapshot(
                    id,
                    phase,
                    ordinal,
                    action,
                    status,
                    attempt,
                    maxAttempts,
                    irreversible,
                    startedAt,
                    attemptStartedAt,
                    deadlineAt,
                    leased,
                    queued,
                    hasError,
                    retry,
                    rollbackOnFailure,
                    gate,
                    undoable,
                    timeout,
                    estimate);
        }
    }
}
