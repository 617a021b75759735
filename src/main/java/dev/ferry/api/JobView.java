package dev.ferry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.Phase;
import dev.ferry.preflight.PreflightReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as {@code GET /jobs/{id}} shows it: what dashboards and operators read. Secret parameters
 * are redacted; {@code parametersSha256} is the hash approvals are bound to (of the redacted form).
 * Dashboards poll it, so it stays small: a decision names the preview it was given for by hash and
 * link, and a step's output, error or compensation output larger than {@link JobViews#BOUND} bytes
 * is left out, with a link to the whole in the step's {@code links}.
 */
public record JobView(
        UUID id,
        String name,
        PlanRef plan,
        JobState state,
        Phase currentPhase,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String lastError,
        JsonNode parameters,
        String parametersSha256,
        Instant wakeAt,
        JsonNode waitingFor,
        List<String> resources,
        boolean rollbackAvailable,
        List<Compensation> rollbackPlan,
        List<String> allowedActions,
        List<PhaseView> phases,
        long lastEventSeq,
        boolean rehearsal,
        List<WindowWarningView> windowWarnings,
        PreflightReport preflight) {

    /** Which rehearsal a phase's expected duration was measured in. */
    public record ExpectedFrom(UUID job, Instant finishedAt) {}

    /** A phase whose rehearsed duration is longer than its maintenance window. */
    public record WindowWarningView(
            Phase phase, String expectedDuration, String windowLength, UUID rehearsalJob, String message) {}

    /** A compensation a rollback would run now, in order. */
    public record Compensation(Phase phase, String step, String action) {}

    public record PlanRef(String name, int version, String sha256) {}

    public record PhaseView(
            Phase phase,
            PhaseStatus status,
            ApprovalView approval,
            Instant earliestStart,
            Instant startedAt,
            Instant finishedAt,
            List<StepView> steps,
            String expectedDuration,
            ExpectedFrom expectedFrom) {}

    public record ApprovalView(
            int required,
            List<String> roles,
            boolean separationOfDuties,
            String expiresAfter,
            int round,
            Instant requestedAt,
            int validApprovals,
            List<DecisionView> decisions) {}

    public record DecisionView(
            String actor,
            String decision,
            String comment,
            Instant at,
            Instant expiresAt,
            boolean counts,
            int round,
            String planSha256,
            String parametersSha256,
            String previewSha256,
            String previewHref) {}

    /** Absent rather than null where a step has no such value: most steps have most of them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(
            String id,
            String action,
            StepStatus status,
            int attempt,
            int maxAttempts,
            boolean irreversible,
            Instant startedAt,
            Instant finishedAt,
            Instant nextRunAt,
            String message,
            JsonNode output,
            JsonNode error,
            String skipReason,
            JsonNode compensationOutput,
            Instant compensatedAt,
            Map<String, String> links) {}
}
