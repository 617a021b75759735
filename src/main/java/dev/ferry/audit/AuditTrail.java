package dev.ferry.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only timeline of every job (port for the rest of Ferry).
 *
 * <p>Contract: {@link #append} joins the caller's transaction, which must hold the job's row lock
 * and have allocated {@code seq} from it, so a job's sequence starts at 1 and has no gaps; the
 * unique key (job, seq) turns any violation into a failed transaction instead of a silent gap or
 * duplicate. Entries are never changed or removed: the database refuses it (V5).
 *
 * <p>Each entry is hash-chained to its job's previous one by the database as it is inserted (a
 * trigger, see {@code V5__audit_hash_chain.sql}), which also locks the job row and refuses any
 * {@code seq} but the next one, so even a writer without the job lock cannot fork or gap a chain.
 * {@link AuditChain} exports and verifies the chains.
 */
@Service
public class AuditTrail {

    private final JobEventRepository events;

    AuditTrail(JobEventRepository events) {
        this.events = events;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public JobEventRecord append(UUID jobId, long seq, Instant at, JobEventDraft draft) {
        // timestamptz keeps microseconds (and rounds, not truncates): store exactly what was said.
        return events.save(new JobEventRecord(jobId, seq, at.truncatedTo(ChronoUnit.MICROS), draft));
    }

    /** Events with a sequence number above {@code after}, oldest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<JobEventRecord> after(UUID jobId, long after, int limit) {
        return events.findByJobIdAndSeqGreaterThanOrderBySeq(jobId, after, Limit.of(limit));
    }
}
