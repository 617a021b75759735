package dev.ferry.job;

import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.Phase;
import java.time.Instant;
import java.util.UUID;

/**
 * One job on a wall board ({@code GET /jobs?view=summary}): where it is and whether it needs
 * someone, without phases and steps.
 *
 * @param currentStep the step under way, failed or being undone, if any
 * @param stepsDone steps succeeded or skipped, of {@code stepsTotal}
 * @param rehearsal a run against staging, not production
 */
public record JobBoardLine(
        UUID id,
        String name,
        String plan,
        JobState state,
        Phase currentPhase,
        String currentStep,
        int stepsDone,
        int stepsTotal,
        String lastError,
        Instant wakeAt,
        Instant updatedAt,
        boolean rehearsal) {}
