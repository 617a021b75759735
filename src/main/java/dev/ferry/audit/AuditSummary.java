package dev.ferry.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The result of verifying every job's chain: how much was checked and which jobs failed.
 * {@code invalidJobs} lists at most {@link AuditChain#LISTED_INVALID_JOBS}; {@code invalidJobCount} counts all.
 * {@code jobsReused} of the {@code jobsChecked} were not read again: their head is the one an
 * earlier verification found intact, no longer ago than {@code ferry.audit.verify.max-age};
 * {@code reusedSince} is the oldest of those verifications (absent when none was reused).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditSummary(
        boolean valid,
        long jobsChecked,
        long eventsChecked,
        long invalidJobCount,
        List<InvalidJob> invalidJobs,
        long jobsReused,
        Instant reusedSince) {

    /** A job whose chain does not verify, with the first event that cannot be trusted. */
    public record InvalidJob(UUID jobId, long firstInvalidSeq, String problem) {}
}
