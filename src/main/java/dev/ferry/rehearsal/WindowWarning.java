package dev.ferry.rehearsal;

import dev.ferry.plan.Phase;
import java.time.Duration;
import java.util.UUID;

/** A phase whose rehearsed duration does not fit inside the maintenance window it must run in. */
public record WindowWarning(
        Phase phase, Duration expectedDuration, Duration windowLength, UUID rehearsalJob, String message) {}
