package dev.ferry.rollback;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.job.JobChange;
import dev.ferry.job.JobProgression;
import dev.ferry.job.LocalStepStarts;
import dev.ferry.job.StepExecution;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.metrics.FerryMetrics;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Rollback requests, from operators or alerting systems. Idempotent: a request while a rollback
 * is under way or done changes nothing; while it is under way it is recorded as a duplicate with
 * its source, once it is done it is not (the rolled-back job's history is closed; an alert's
 * receipt still names it). Refused past the point of no return (an irreversible step has started).
 * The first compensation is leased to a worker slot of this replica (the urgent lane if need be)
 * in the rollback's own transaction and called right after its commit: an alert's rollback starts
 * undoing without a claim, a NOTIFY or a wake-up.
 */
@Service
public class RollbackCoordinator {

    private final LocalStepStarts localStarts;
    private final JobProgression progression;
    private final FerryMetrics metrics;

    RollbackCoordinator(LocalStepStarts localStarts, JobProgression progression, FerryMetrics metrics) {
        this.localStarts = localStarts;
        this.progression = progression;
        this.metrics = metrics;
    }

    /** An operator's rollback. */
    public RollbackOutcome request(UUID jobId, Actor actor, String reason) {
        return request(jobId, actor, reason, "operator");
    }

    /** A rollback; {@code trigger} ({@code operator}, {@code alert}) labels the {@code ferry.rollbacks} metric. */
    public RollbackOutcome request(UUID jobId, Actor actor, String reason, String trigger) {
        return localStarts
                .change(jobId, true, change -> request(change, actor, reason, trigger), null)
                .result();
    }

    private RollbackOutcome request(JobChange change, Actor actor, String reason, String trigger) {
        JobState state = change.job().state();
        if (state == JobState.ROLLED_BACK) {
            return new RollbackOutcome(true, state);
        }
        if (state == JobState.ROLLING_BACK) {
            change.record(JobEventDraft.of(JobEventType.ROLLBACK_DUPLICATE, actor.name())
                    .reason(reason)
                    .detail(JsonNodeFactory.instance.objectNode().put("state", state.name())));
            return new RollbackOutcome(true, state);
        }
        if (!change.facts().rollbackAvailable()) {
            throw new RollbackUnavailableException(change.job().steps().stream()
                    .filter(s -> s.irreversible() && s.startedAt() != null)
                    .map(StepExecution::stepId)
                    .findFirst()
                    .orElse("?"));
        }
        change.transition(
                LifecycleEvent.ROLLBACK,
                JobEventDraft.of(JobEventType.ROLLBACK_REQUESTED, actor.name()).reason(reason));
        metrics.rollbackStarted(trigger);
        progression.abandon(change, "rolled back: " + (reason == null ? "requested by " + actor.name() : reason), null);
        progression.advance(change);
        return new RollbackOutcome(false, change.job().state());
    }
}
