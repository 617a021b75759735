package dev.ferry.job;

import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.local.GateAction;
import dev.ferry.engine.PhaseSnapshot;
import dev.ferry.engine.Snapshot;
import dev.ferry.engine.StepSnapshot;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.StepSpec;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads a locked job and its plan into the immutable {@link Snapshot} the engine decides on. */
@Component
class Snapshots {

    private final PlanCatalog plans;
    private final ActionRegistry actions;

    Snapshots(PlanCatalog plans, ActionRegistry actions) {
        this.plans = plans;
        this.actions = actions;
    }

    /** For reading only: as of the job's last change, approvals not counted (no query for a view). */
    Snapshot forView(MigrationJob job) {
        return of(job, job.updatedAt(), null);
    }

    /**
     * As of {@code now}.
     *
     * @param quorum counts approvals (a change's, which counts each phase once); null: not counted
     */
    Snapshot of(MigrationJob job, Instant now, ApprovalQuorum quorum) {
        PlanDocument plan = plans.findById(job.planId()).orElseThrow().document();
        List<PhaseSnapshot> phases = job.phases().stream()
                .map(p -> phase(p, plan.phase(p.phase()), now, quorum))
                .toList();
        List<StepSnapshot> steps = job.steps().stream().map(s -> step(s, plan)).toList();
        return new Snapshot(job.state(), job.currentPhase(), now, job.resourcesLockedAt() != null, phases, steps);
    }

    /** Whether a rollback can undo this step: the plan names a compensation or the handler undoes itself. */
    boolean undoable(StepSpec spec) {
        return spec != null
                && (spec.compensate() != null
                        || actions.find(spec.action())
                                .map(ActionHandler::compensable)
                                .orElse(false));
    }

    private static PhaseSnapshot phase(PhaseExecution phase, PhaseSpec spec, Instant now, ApprovalQuorum quorum) {
        // Approvals are only counted where they decide something: a query per awaiting phase.
        boolean quorumReached =
                quorum != null && phase.status() == PhaseStatus.AWAITING_APPROVAL && quorum.reached(phase, now);
        return new PhaseSnapshot(
                phase.phase(),
                phase.status(),
                phase.requiresApproval(),
                phase.approvalsRequired(),
                phase.approvalRound(),
                quorumReached,
                phase.approvalRequestedAt(),
                phase.earliestStart(),
                phase.startedAt(),
                phase.finishedAt(),
                spec.notBefore(),
                spec.window());
    }

    private StepSnapshot step(StepExecution step, PlanDocument plan) {
        StepSpec spec = plan.step(step.stepId()).orElse(null);
        return new StepSnapshot(
                step.stepId(),
                step.phase(),
                step.ordinal(),
                step.action(),
                step.status(),
                step.attempt(),
                step.maxAttempts(),
                step.irreversible(),
                step.startedAt(),
                step.attemptStartedAt(),
                step.deadlineAt(),
                step.leaseOwner() != null,
                step.nextRunAt() != null,
                step.error() != null,
                spec == null ? null : spec.retry(),
                spec != null && spec.rollbackOnFailure(),
                spec != null && GateAction.NAME.equals(spec.action()),
                undoable(spec),
                spec == null ? null : spec.timeout(),
                spec == null ? null : spec.estimate());
    }
}
