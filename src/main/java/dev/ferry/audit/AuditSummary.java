package dev.ferry.audit;

import java.util.List;
import java.util.UUID;

/**
 * The result of verifying every job's chain: how much was checked and which jobs failed.
 * {@code invalidJobs} lists at most {@link AuditChain#LISTED_INVALID_JOBS}; {@code invalidJobCount} counts all.
 */
public record AuditSummary(
        boolean valid, long jobsChecked, long eventsChecked, long invalidJobCount, List<InvalidJob> invalidJobs) {

    /** A job whose chain does not verify, with the first event that cannot be trusted. */
    public record InvalidJob(UUID jobId, long firstInvalidSeq, String problem) {}
}
