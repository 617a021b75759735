package dev.ferry.rehearsal;

import dev.ferry.plan.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * How long a phase is expected to run, as measured by a rehearsal.
 *
 * @param rehearsalJob the succeeded rehearsal it was measured in
 * @param measuredAt when that rehearsal finished
 */
public record ExpectedDuration(Phase phase, Duration duration, UUID rehearsalJob, Instant measuredAt) {}
