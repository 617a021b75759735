package dev.ferry.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
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
 * <p>Each entry is hash-chained to its job's previous one: the hash is computed here ({@link
 * ChainHash}, over the detail as jsonb will print it, {@link JsonbText}) from the predecessor's
 * hash the caller holds under the row lock, and the caller moves the job's head. The database
 * refuses an entry that does not follow its stored predecessor, and a head that names no entry
 * or not the last one (V26). {@link AuditChain} exports and verifies the chains.
 */
@Service
public class AuditTrail {

    private static final String INSERT =
            """
            INSERT INTO job_event (job_id, seq, at, actor, type, phase, step_id, from_state, to_state, reason,
                                   detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            """;

    private final JobEventRepository events;
    private final JdbcTemplate jdbc;

    AuditTrail(JobEventRepository events, JdbcTemplate jdbc) {
        this.events = events;
        this.jdbc = jdbc;
    }

    /**
     * Appends one event after the one whose hash is {@code previous}, and returns its own hash,
     * the job's new head.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public byte[] append(UUID jobId, long seq, Instant at, JobEventDraft draft, byte[] previous) {
        // timestamptz keeps microseconds (and rounds, not truncates): store exactly what was hashed.
        Instant stored = at.truncatedTo(ChronoUnit.MICROS);
        String detail = JsonbText.of(draft.detail());
        String phase = draft.phase() == null ? null : draft.phase().name();
        byte[] hash = ChainHash.of(
                previous,
                new ChainHash.EventContent(
                        jobId,
                        seq,
                        stored,
                        draft.actor(),
                        draft.type().name(),
                        phase,
                        draft.stepId(),
                        draft.from(),
                        draft.to(),
                        draft.reason(),
                        detail));
        jdbc.update(
                INSERT,
                jobId,
                seq,
                Timestamp.from(stored),
                draft.actor(),
                draft.type().name(),
                phase,
                draft.stepId(),
                draft.from(),
                draft.to(),
                draft.reason(),
                detail,
                previous,
                hash);
        return hash;
    }

    /** Events with a sequence number above {@code after}, oldest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<JobEventRecord> after(UUID jobId, long after, int limit) {
        return events.findByJobIdAndSeqGreaterThanOrderBySeq(jobId, after, Limit.of(limit));
    }
}
