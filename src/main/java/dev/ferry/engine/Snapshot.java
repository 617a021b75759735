package dev.ferry.engine;

import dev.ferry.lifecycle.GuardFacts;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job as the decider sees it, read under the job's lock at {@code now}: immutable, with the plan's
 * facts folded into its phases and steps, so deciding needs nothing else.
 *
 * @param resourcesLocked the job holds the AWS resources it changes (taken once, from FREEZE on)
 * @param phases in lifecycle order
 * @param steps in plan order
 */
public record Snapshot(
        JobState state,
        Phase currentPhase,
        Instant now,
        boolean resourcesLocked,
        List<PhaseSnapshot> phases,
        List<StepSnapshot> steps) {

    public Snapshot {
        phases = List.copyOf(phases);
        steps = List.copyOf(steps);
    }

    public Optional<StepSnapshot> step(String stepId) {
        return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
    }

    public Optional<PhaseSnapshot> phase(Phase phase) {
        return phases.stream().filter(p -> p.phase() == phase).findFirst();
    }

    List<StepSnapshot> stepsOf(Phase phase) {
        return steps.stream().filter(s -> s.phase() == phase).toList();
    }

    /** What the lifecycle's guards see; {@code failing} counts as failed already (its failure is being decided). */
    GuardFacts facts(String failing) {
        boolean started = steps.stream().anyMatch(s -> s.startedAt() != null);
        boolean failed = steps.stream()
                .anyMatch(s -> s.status() == StepStatus.FAILED || s.stepId().equals(failing));
        boolean pastNoReturn = steps.stream().anyMatch(s -> s.irreversible() && s.startedAt() != null);
        boolean quorum = currentPhase != null
                && phase(currentPhase)
                        .filter(p -> p.status() == PhaseStatus.AWAITING_APPROVAL)
                        .map(PhaseSnapshot::quorumReached)
                        .orElse(false);
        return new GuardFacts(quorum, started, failed, !pastNoReturn);
    }
}
