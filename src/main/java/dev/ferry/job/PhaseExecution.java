package dev.ferry.job;

import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.Phase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** One phase of one job. */
@Entity
// Every column is written (no @DynamicUpdate): only changes under the job's lock write phases, and a
// fixed UPDATE is batched and its SQL made once, where a dynamic one is rendered and sent per row.
@Table(name = "phase_execution")
public class PhaseExecution {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "job_id")
    private MigrationJob job;

    @Enumerated(EnumType.STRING)
    private Phase phase;

    private int ordinal;

    @Enumerated(EnumType.STRING)
    private PhaseStatus status;

    private int approvalsRequired;
    private int approvalRound;
    private Instant approvalRequestedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Instant earliestStart;

    @Version
    private Long version;

    protected PhaseExecution() {}

    PhaseExecution(MigrationJob job, Phase phase, PhaseStatus status, int approvalsRequired) {
        this.id = UUID.randomUUID();
        this.job = job;
        this.phase = phase;
        this.ordinal = phase.ordinal();
        this.status = status;
        this.approvalsRequired = approvalsRequired;
    }

    void requestApproval(Instant now) {
        status = PhaseStatus.AWAITING_APPROVAL;
        approvalRound++;
        approvalRequestedAt = now;
    }

    void earliestStart(Instant at) {
        this.earliestStart = at;
    }

    public Instant earliestStart() {
        return earliestStart;
    }

    public void markRejected() {
        this.status = PhaseStatus.REJECTED;
    }

    void status(PhaseStatus status, Instant now) {
        this.status = status;
        if (status == PhaseStatus.RUNNING && startedAt == null) {
            startedAt = now;
        }
        if (status == PhaseStatus.SUCCEEDED || status == PhaseStatus.SKIPPED || status == PhaseStatus.FAILED) {
            finishedAt = now;
        }
    }

    public UUID id() {
        return id;
    }

    public MigrationJob job() {
        return job;
    }

    public Phase phase() {
        return phase;
    }

    public PhaseStatus status() {
        return status;
    }

    public boolean requiresApproval() {
        return approvalsRequired > 0;
    }

    public int approvalsRequired() {
        return approvalsRequired;
    }

    public int approvalRound() {
        return approvalRound;
    }

    public Instant approvalRequestedAt() {
        return approvalRequestedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
