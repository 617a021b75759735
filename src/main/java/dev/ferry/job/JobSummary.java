package dev.ferry.job;

import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.Phase;
import java.time.Instant;
import java.util.UUID;

/** One line of a job listing. */
public record JobSummary(
        UUID id,
        String name,
        String plan,
        int planVersion,
        JobState state,
        Phase currentPhase,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        boolean rehearsal) {}
