package dev.ferry.approval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.job.JobChange;
import dev.ferry.job.JobLocks;
import dev.ferry.job.JobPreviews;
import dev.ferry.job.JobProgression;
import dev.ferry.job.JobQueries;
import dev.ferry.job.JobSnapshot;
import dev.ferry.job.LocalStepStarts;
import dev.ferry.job.MigrationJob;
import dev.ferry.job.PhaseExecution;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.ApprovalPolicy;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanPreview;
import dev.ferry.plan.StoredPlan;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * Approvals and rejections of phases. Runs under the job's lock, so parallel decisions are
 * counted one after the other and exactly one of them reaches the quorum and moves the job on.
 */
@Service
public class PhaseApprovals {

    private final JobLocks locks;
    private final JobProgression progression;
    private final PlanCatalog plans;
    private final ApprovalRepository approvals;
    private final RecordedApprovals recorded;
    private final JobPreviews previews;
    private final JobQueries queries;
    private final LocalStepStarts localStarts;

    PhaseApprovals(
            JobLocks locks,
            JobProgression progression,
            PlanCatalog plans,
            ApprovalRepository approvals,
            RecordedApprovals recorded,
            JobPreviews previews,
            JobQueries queries,
            LocalStepStarts localStarts) {
        this.previews = previews;
        this.queries = queries;
        this.localStarts = localStarts;
        this.locks = locks;
        this.progression = progression;
        this.plans = plans;
        this.approvals = approvals;
        this.recorded = recorded;
    }

    /**
     * Records {@code actor}'s approval; the one that reaches the quorum starts the phase. Its first
     * step is then leased to a free worker slot of this replica in the same transaction and called
     * right after commit (no claim, NOTIFY or wake-up); with no slot free it is queued as urgent.
     */
    public ApprovalOutcome approve(UUID jobId, Phase phase, Actor actor, String comment) {
        return approveAndView(jobId, phase, actor, comment, null).result();
    }

    /**
     * Like {@link #approve(UUID, Phase, Actor, String)}, and returns {@code view} of the job as the
     * approval left it, built in the approval's own transaction (no second read of the job).
     */
    public <V> V approve(UUID jobId, Phase phase, Actor actor, String comment, Function<JobSnapshot, V> view) {
        return approveAndView(jobId, phase, actor, comment, Objects.requireNonNull(view))
                .view();
    }

    private <V> JobLocks.Changed<ApprovalOutcome, V> approveAndView(
            UUID jobId, Phase phase, Actor actor, String comment, Function<JobSnapshot, V> view) {
        // The preview the approver is shown, built before the row lock is taken; used under the lock
        // only if the job did not change in between (it is the same then), otherwise built again.
        Shown before = shownBefore(jobId, phase);
        return localStarts.change(jobId, true, change -> approve(change, phase, actor, comment, before), view);
    }

    private record Shown(long version, PlanPreview.Shown preview) {}

    private Shown shownBefore(UUID jobId, Phase phase) {
        try {
            return queries.readJob(jobId, job -> new Shown(job.version(), previews.phase(job, phase)));
        } catch (RuntimeException e) {
            // Whatever failed here fails again, and is reported, under the lock.
            return null;
        }
    }

    private ApprovalOutcome approve(JobChange change, Phase phase, Actor actor, String comment, Shown before) {
        UUID jobId = change.job().id();
        PhaseExecution execution = openPhase(change, phase);
        StoredPlan plan = plans.findById(change.job().planId()).orElseThrow();
        ApprovalPolicy policy = plan.document().phase(phase).approval();
        if (policy.separationOfDuties() && actor.name().equals(change.job().createdBy())) {
            throw ApprovalForbiddenException.ownJob(actor.name());
        }
        if (!actor.hasAnyRole(policy.roles())) {
            throw ApprovalForbiddenException.missingRole(actor.name(), policy.roles());
        }
        Instant now = change.now();
        ApprovalBinding binding = ApprovalBinding.of(plan, change.job());
        Optional<Approval> mine = live(execution, actor.name());
        if (mine.isPresent() && mine.get().countsAt(now, binding)) {
            return new ApprovalOutcome(true, recorded.validCount(execution, now), execution.approvalsRequired(), false);
        }
        // Expired, or given for other parameters: replaced by this one.
        mine.ifPresent(stale -> {
            stale.supersede(now);
            // Flushed first: Hibernate would otherwise insert the new approval before this update.
            approvals.saveAndFlush(stale);
            change.approvalsChanged();
        });
        Instant expiresAt = policy.expiresAfter() == null ? null : now.plus(policy.expiresAfter());
        approvals.saveAndFlush(new Approval(
                        jobId,
                        execution.id(),
                        phase,
                        execution.approvalRound(),
                        actor.name(),
                        Approval.Decision.APPROVED,
                        comment,
                        binding,
                        now,
                        expiresAt)
                .shown(
                        before != null && before.version() == change.job().version()
                                ? before.preview()
                                : previews.phase(change.job(), phase)));
        change.approvalsChanged();
        int valid = recorded.validCount(execution, now);
        // The APPROVE guard below asks the same question: answered by this count, not another query.
        change.approvalsCounted(execution, RecordedApprovals.reached(execution, valid));
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("round", execution.approvalRound())
                .put("approvals", valid)
                .put("required", execution.approvalsRequired())
                .put("planSha256", binding.planSha256())
                .put("parametersSha256", binding.parametersSha256());
        if (expiresAt != null) {
            detail.put("expiresAt", expiresAt.toString());
        }
        change.record(JobEventDraft.of(JobEventType.APPROVAL_RECORDED, actor.name())
                .phase(phase)
                .reason(comment)
                .detail(detail));
        boolean started = change.job().state() == JobState.AWAITING_APPROVAL
                && change.tryTransition(
                        LifecycleEvent.APPROVE,
                        JobEventDraft.of(JobEventType.PHASE_APPROVED, actor.name())
                                .phase(phase)
                                .detail(detail));
        if (started) {
            progression.advance(change);
        }
        return new ApprovalOutcome(false, valid, execution.approvalsRequired(), started);
    }

    /** Stops the job: cancelled if nothing ran yet, otherwise paused for an operator's decision. */
    public void reject(UUID jobId, Phase phase, Actor actor, String comment) {
        locks.change(jobId, change -> {
            PhaseExecution execution = openPhase(change, phase);
            StoredPlan plan = plans.findById(change.job().planId()).orElseThrow();
            List<String> roles = plan.document().phase(phase).approval().roles();
            // The job's creator may always withdraw it; others need the approver role.
            if (!actor.name().equals(change.job().createdBy()) && !actor.hasAnyRole(roles)) {
                throw ApprovalForbiddenException.missingRole(actor.name(), roles);
            }
            approvals.save(new Approval(
                            jobId,
                            execution.id(),
                            phase,
                            execution.approvalRound(),
                            actor.name(),
                            Approval.Decision.REJECTED,
                            comment,
                            ApprovalBinding.of(plan, change.job()),
                            change.now(),
                            null)
                    .shown(previews.phase(change.job(), phase)));
            change.approvalsChanged();
            execution.markRejected();
            change.record(JobEventDraft.of(JobEventType.PHASE_REJECTED, actor.name())
                    .phase(phase)
                    .reason(comment)
                    .states(PhaseStatus.AWAITING_APPROVAL, PhaseStatus.REJECTED));
            if (change.job().state() == JobState.AWAITING_APPROVAL) {
                boolean cancels = !change.facts().anyStepStarted();
                change.transition(
                        LifecycleEvent.REJECT,
                        JobEventDraft.of(cancels ? JobEventType.JOB_CANCELLED : JobEventType.JOB_PAUSED, actor.name())
                                .phase(phase)
                                .reason("phase " + phase + " rejected: " + comment));
                if (cancels) {
                    progression.abandon(change, "phase " + phase + " rejected", PhaseStatus.FAILED);
                }
            }
            return null;
        });
    }

    private static PhaseExecution openPhase(JobChange change, Phase phase) {
        MigrationJob job = change.job();
        PhaseExecution execution = job.phase(phase).orElseThrow();
        if (job.state().isTerminal() || execution.status() != PhaseStatus.AWAITING_APPROVAL) {
            throw new ApprovalNotOpenException(phase, execution.status(), job.state());
        }
        return execution;
    }

    private Optional<Approval> live(PhaseExecution execution, String actor) {
        return approvals.findByPhaseExecutionIdAndRound(execution.id(), execution.approvalRound()).stream()
                .filter(a -> a.actor().equals(actor)
                        && a.decision() == Approval.Decision.APPROVED
                        && a.supersededAt() == null)
                .findFirst();
    }

    /** Every decision taken on a job, oldest first, for views. */
    public List<Approval> ofJob(UUID jobId) {
        return recorded.ofJob(jobId);
    }
}
