package dev.ferry.execution;

import dev.ferry.job.ClaimedStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The queue of due steps, shared by every replica (port).
 *
 * <p>Contract: {@link #claim} hands each due step to at most one caller at a time (a lease); a
 * lease that expires makes the step claimable again, with a new token, so the stale holder's
 * writes are refused. Only steps of running jobs are handed out. Claiming never blocks on rows
 * another replica is claiming.
 */
public interface StepQueue {

    /**
     * Claims at most {@code max} steps, urgent ones first (an approved phase's, a rollback's), and
     * of the others at most {@code routineMax}: the rest of the caller's slots are only for urgent work.
     */
    List<ClaimedStep> claim(String owner, int max, int routineMax, Duration lease, Instant now);

    /** When the next step becomes claimable (queued or lease expiring), if any. */
    Optional<Instant> nextDue();

    /**
     * Lets every lease {@code owner} still holds expire now, so any replica may claim those steps
     * at once (with a new token: a late result of the old holder is refused). Returns how many.
     */
    int expireLeases(String owner, Instant now);

    /**
     * Extends the leases of {@code steps} to {@code until}, each only while its owner and token
     * are still the ones claimed (a step taken over since is left alone). Changes nothing a reader
     * of the job sees. Returns how many were extended.
     */
    int renewLeases(List<ClaimedStep> steps, Instant until);
}
