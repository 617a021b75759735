package dev.ferry.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.AssignedIdEntity;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanPreview;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/** One approver's decision on one phase, in one approval round. Never deleted; an expired one is superseded. */
@Entity
@Table(name = "approval")
public class Approval extends AssignedIdEntity {

    public enum Decision {
        APPROVED,
        REJECTED
    }

    @Id
    private UUID id;

    private UUID jobId;
    private UUID phaseExecutionId;

    @Enumerated(EnumType.STRING)
    private Phase phase;

    private int round;
    private String actor;

    @Enumerated(EnumType.STRING)
    private Decision decision;

    private String comment;
    private String planSha256;
    private String parametersSha256;
    private Instant createdAt;
    private Instant expiresAt;
    private Instant supersededAt;

    /** The preview of the phase as the approver was shown it (null for decisions older than V11). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode preview;

    private String previewSha256;

    protected Approval() {}

    @Override
    public UUID getId() {
        return id;
    }

    Approval(
            UUID jobId,
            UUID phaseExecutionId,
            Phase phase,
            int round,
            String actor,
            Decision decision,
            String comment,
            ApprovalBinding binding,
            Instant createdAt,
            Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.jobId = jobId;
        this.phaseExecutionId = phaseExecutionId;
        this.phase = phase;
        this.round = round;
        this.actor = actor;
        this.decision = decision;
        this.comment = comment;
        this.planSha256 = binding.planSha256();
        this.parametersSha256 = binding.parametersSha256();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** Counts towards the quorum at {@code now}. */
    public boolean isValidAt(Instant now) {
        return decision == Decision.APPROVED && supersededAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /**
     * Given for this plan version and these parameters. Approvals recorded before the parameters
     * were bound (no hash) are taken as given for the job's parameters, which cannot change.
     */
    public boolean isBoundTo(ApprovalBinding binding) {
        return planSha256.equals(binding.planSha256())
                && (parametersSha256 == null || parametersSha256.equals(binding.parametersSha256()));
    }

    /** Counts towards the quorum at {@code now} for a job whose plan and parameters are {@code binding}. */
    public boolean countsAt(Instant now, ApprovalBinding binding) {
        return isValidAt(now) && isBoundTo(binding);
    }

    /** Records what the decision was given for; see {@link dev.ferry.job.JobPreviews#phase}. */
    Approval shown(PlanPreview.Shown shown) {
        this.preview = shown.preview();
        this.previewSha256 = shown.sha256();
        return this;
    }

    public JsonNode preview() {
        return preview;
    }

    public String previewSha256() {
        return previewSha256;
    }

    void supersede(Instant now) {
        supersededAt = now;
    }

    public UUID id() {
        return id;
    }

    public UUID jobId() {
        return jobId;
    }

    public UUID phaseExecutionId() {
        return phaseExecutionId;
    }

    public Phase phase() {
        return phase;
    }

    public int round() {
        return round;
    }

    public String actor() {
        return actor;
    }

    public Decision decision() {
        return decision;
    }

    public String comment() {
        return comment;
    }

    public String planSha256() {
        return planSha256;
    }

    public String parametersSha256() {
        return parametersSha256;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant supersededAt() {
        return supersededAt;
    }
}
