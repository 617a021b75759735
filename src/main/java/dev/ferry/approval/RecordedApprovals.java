package dev.ferry.approval;

import dev.ferry.job.ApprovalQuorum;
import dev.ferry.job.MigrationJob;
import dev.ferry.job.PhaseExecution;
import dev.ferry.plan.PlanCatalog;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The stored approvals: counts quorums for progression and lists decisions for job views. */
@Component
public class RecordedApprovals implements ApprovalQuorum {

    private final ApprovalRepository approvals;
    private final PlanCatalog plans;

    RecordedApprovals(ApprovalRepository approvals, PlanCatalog plans) {
        this.approvals = approvals;
        this.plans = plans;
    }

    @Override
    public boolean reached(PhaseExecution phase, Instant now) {
        return reached(phase, validCount(phase, now));
    }

    /** Whether {@code valid} approvals (a {@link #validCount}) reach the phase's quorum. */
    static boolean reached(PhaseExecution phase, int valid) {
        return phase.requiresApproval() && valid >= phase.approvalsRequired();
    }

    /**
     * Distinct approvers of the phase's current round whose approval still counts at {@code now}:
     * not expired, not superseded, and given for the job's current plan and parameters.
     */
    public int validCount(PhaseExecution phase, Instant now) {
        MigrationJob job = phase.job();
        ApprovalBinding binding =
                ApprovalBinding.of(plans.findById(job.planId()).orElseThrow(), job);
        return (int) approvals.findByPhaseExecutionIdAndRound(phase.id(), phase.approvalRound()).stream()
                .filter(a -> a.countsAt(now, binding))
                .map(Approval::actor)
                .distinct()
                .count();
    }

    /** Every decision on a job, oldest first. */
    public List<Approval> ofJob(UUID jobId) {
        return approvals.findByJobIdOrderByCreatedAt(jobId);
    }
}
