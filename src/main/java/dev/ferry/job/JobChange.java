package dev.ferry.job;

import dev.ferry.audit.AuditTrail;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.GuardFacts;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.lifecycle.Transition;
import dev.ferry.plan.Phase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One transaction's view of a locked job: fires lifecycle events and appends their audit events,
 * so a state change can never be stored without its timeline entry.
 */
public final class JobChange {

    private final MigrationJob job;
    private final Instant now;
    private final JobLifecycle lifecycle;
    private final AuditTrail audit;
    private final ApprovalQuorum quorum;

    /** Approval counts read in this change, by phase and round (see {@link #approvalsChanged}). */
    private final Map<String, Boolean> quorumRead = new HashMap<>();

    private final ResourceLocks resourceLocks;
    private final Iterable<JobEventListener> listeners;

    /** Whether the job had ended before this change: its chain is closed (V31). */
    private final boolean historyClosed;

    /** A worker's offer to run the next queued step itself (see {@link #chain}); null: none. */
    private String chainOwner;

    private Instant chainLeaseUntil;
    private StepExecution chained;

    /** This change's events, written together before it commits ({@link #writeEvents}). */
    private AuditTrail.Batch events;

    JobChange(
            MigrationJob job,
            Instant now,
            JobLifecycle lifecycle,
            AuditTrail audit,
            ApprovalQuorum quorum,
            ResourceLocks resourceLocks,
            Iterable<JobEventListener> listeners) {
        this.job = job;
        this.now = now;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.quorum = (phase, at) -> at.equals(now)
                ? quorumRead.computeIfAbsent(quorumKey(phase), k -> quorum.reached(phase, at))
                : quorum.reached(phase, at);
        this.resourceLocks = resourceLocks;
        this.listeners = listeners;
        this.historyClosed = job.state().isTerminal();
    }

    public MigrationJob job() {
        return job;
    }

    public Instant now() {
        return now;
    }

    /** Lets the first step this change queues be leased to {@code owner} instead (see {@link #chain}). */
    void offerChain(String owner, Instant leaseUntil) {
        this.chainOwner = owner;
        this.chainLeaseUntil = leaseUntil;
    }

    /**
     * Leases {@code step} to the worker that offered to run it, if one did and has not taken a
     * step yet: it then never enters the queue, so no claim, NOTIFY or wake-up is needed for it.
     */
    boolean chain(StepExecution step) {
        if (chainOwner == null || chained != null) {
            return false;
        }
        step.lease(chainOwner, chainLeaseUntil);
        chained = step;
        return true;
    }

    /** The step {@link #chain} leased, or null. */
    StepExecution chained() {
        return chained;
    }

    /**
     * Whether the job had ended before this change: its timeline takes no more events. The events
     * of the change that ends a job are still recorded (they are what it ended with).
     */
    public boolean historyClosed() {
        return historyClosed;
    }

    /**
     * Appends an event to the job's timeline with the next sequence number.
     *
     * @throws JobHistoryClosedException if the job had ended before this change
     */
    public void record(JobEventDraft draft) {
        if (historyClosed) {
            throw new JobHistoryClosedException(job.id(), job.state());
        }
        if (events == null) {
            events = audit.batch(job.id(), job.auditHeadHash());
        }
        long seq = job.nextEventSeq();
        job.auditHead(seq, events.add(seq, now, draft));
        job.touch(now);
        listeners.forEach(listener -> listener.recorded(job, seq, now, draft));
    }

    /** Writes the events recorded so far; {@link JobLocks} calls it before the change commits. */
    void writeEvents() {
        if (events != null) {
            events.write();
        }
    }

    /** Fires {@code event}; if accepted, applies it and records {@code draft} with from→to. Else throws 409. */
    public Transition transition(LifecycleEvent event, JobEventDraft draft) {
        Transition transition = lifecycle.require(job.state(), event, facts(event));
        apply(transition, draft);
        return transition;
    }

    /** Fires {@code event}; applies it if accepted, and reports whether it was. Never throws for a refusal. */
    public boolean tryTransition(LifecycleEvent event, JobEventDraft draft) {
        Transition transition = lifecycle.fire(job.state(), event, facts(event));
        if (transition.accepted()) {
            apply(transition, draft);
        }
        return transition.accepted();
    }

    private void apply(Transition transition, JobEventDraft draft) {
        JobState from = job.state();
        job.apply(transition, now);
        record(draft.states(from, transition.to()));
        if (transition.to().isTerminal() && resourceLocks.release(job.id(), now) > 0) {
            record(JobEventDraft.of(JobEventType.RESOURCES_RELEASED, Actor.SYSTEM.name()));
        }
    }

    /** The job as this change has left it so far, with what its lifecycle allows now. */
    JobSnapshot snapshot() {
        GuardFacts facts = facts();
        return new JobSnapshot(job, facts, lifecycle.allowedCommands(job.state(), facts));
    }

    /** What the lifecycle's guards may see of this job now. */
    public GuardFacts facts() {
        return facts(job, quorum, now);
    }

    /**
     * Whether a phase has its approvals at this change's time, each phase counted once per change
     * (an approval asks three times). Whoever records or supersedes an approval in this change
     * calls {@link #approvalsChanged}.
     */
    public ApprovalQuorum quorum() {
        return quorum;
    }

    /** Approvals of this job were written in this change: count them again. */
    public void approvalsChanged() {
        quorumRead.clear();
    }

    /**
     * Approvals of {@code phase} were just counted at this change's time, after the last {@link
     * #approvalsChanged}: the guards use this answer instead of counting again.
     */
    public void approvalsCounted(PhaseExecution phase, boolean reached) {
        quorumRead.put(quorumKey(phase), reached);
    }

    private static String quorumKey(PhaseExecution phase) {
        return phase.id() + "/" + phase.approvalRound();
    }

    /** Approvals are counted (a query) only for the one event whose guard reads them. */
    private GuardFacts facts(LifecycleEvent event) {
        return facts(job, event == LifecycleEvent.APPROVE ? quorum : (phase, at) -> false, now);
    }

    static GuardFacts facts(MigrationJob job, ApprovalQuorum quorum, Instant now) {
        boolean started = job.steps().stream().anyMatch(s -> s.startedAt() != null);
        boolean failed = job.steps().stream().anyMatch(s -> s.status() == StepStatus.FAILED);
        boolean pastNoReturn = job.steps().stream().anyMatch(s -> s.irreversible() && s.startedAt() != null);
        PhaseExecution awaiting = awaitingPhase(job);
        boolean quorumReached = awaiting != null && quorum.reached(awaiting, now);
        return new GuardFacts(quorumReached, started, failed, !pastNoReturn);
    }

    /** The phase currently waiting for approval, or null. */
    static PhaseExecution awaitingPhase(MigrationJob job) {
        Phase current = job.currentPhase();
        if (current == null) {
            return null;
        }
        PhaseExecution phase = job.phase(current).orElse(null);
        return phase != null && phase.status() == PhaseStatus.AWAITING_APPROVAL ? phase : null;
    }
}
