package dev.ferry.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign as {@code GET /campaigns/{id}} shows it: waves (1-based) with their jobs, counts per
 * job state, what blocks the next wave, and the commands its state allows.
 */
public record CampaignView(
        String id,
        String name,
        String plan,
        int planVersion,
        String state,
        int currentWave,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        String stoppedReason,
        FailurePolicy failurePolicy,
        Map<String, Long> counts,
        String blockedBy,
        List<String> allowedActions,
        List<Wave> waves) {

    /**
     * @param firstStepAt when the first step of any of its jobs started
     * @param acceptedFailures failures an operator accepted by resuming after a halt
     */
    public record Wave(
            int wave,
            String name,
            String state,
            int maxConcurrent,
            Approval approval,
            Duration soak,
            Instant startedAt,
            Instant approvedAt,
            Instant firstStepAt,
            Instant finishedAt,
            Instant soakUntil,
            int acceptedFailures,
            Map<String, Long> counts,
            List<Job> jobs) {}

    public record Approval(
            int required, List<String> roles, boolean separationOfDuties, Duration expiresAfter, List<Given> given) {}

    public record Given(String actor, String comment, Instant at, Instant expiresAt) {}

    /** One target: its job once launched (state null before), or why it could not be launched. */
    public record Job(
            String target, JsonNode labels, String job, String state, String currentPhase, String launchError) {}

    /** A line of {@code GET /campaigns}. */
    public record Summary(
            String id,
            String name,
            String plan,
            int planVersion,
            String state,
            int currentWave,
            int waves,
            String createdBy,
            Instant createdAt,
            Instant updatedAt) {}

    public record Event(
            long seq, Instant at, String actor, String type, Integer wave, String reason, JsonNode detail) {}
}
