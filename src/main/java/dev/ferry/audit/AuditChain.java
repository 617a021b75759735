package dev.ferry.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Exports and verifies the hash chains of job events. Read-only; every hash is recomputed in Java
 * ({@link ChainHash}) from the stored values, so a verification does not trust the database
 * functions that wrote them. Each job's events and its recorded head are read by one statement,
 * so an event appended meanwhile is never half-seen.
 */
@Service
public class AuditChain {

    /** How many invalid jobs a summary names. */
    public static final int LISTED_INVALID_JOBS = 1000;

    private static final HexFormat HEX = HexFormat.of();
    private static final String CHAIN =
            """
            SELECT j.id AS job_id, j.audit_head_seq, j.audit_head_hash, e.seq, e.at, e.actor, e.type, e.phase,
                   e.step_id, e.from_state, e.to_state, e.reason, e.detail::text AS detail, e.prev_hash, e.hash
              FROM migration_job j LEFT JOIN job_event e ON e.job_id = j.id
            """;

    private final JdbcTemplate streaming;
    private final ObjectMapper json;

    AuditChain(DataSource dataSource, ObjectMapper json) {
        this.streaming = new JdbcTemplate(dataSource);
        // With autocommit off (inside the transaction), PostgreSQL's driver fetches through a cursor.
        this.streaming.setFetchSize(500);
        this.json = json;
    }

    /** The job's chain, its head and its verification; empty if there is no such job. */
    @Transactional(readOnly = true)
    public Optional<JobAudit> export(UUID jobId) {
        List<ChainedEvent> events = new ArrayList<>();
        ChainVerifier verifier = new ChainVerifier();
        long[] headSeq = {-1};
        byte[][] headHash = {null};
        streaming.query(
                CHAIN + " WHERE j.id = ? ORDER BY e.seq",
                rs -> {
                    headSeq[0] = rs.getLong("audit_head_seq");
                    headHash[0] = rs.getBytes("audit_head_hash");
                    if (check(rs, jobId, verifier)) {
                        events.add(event(rs));
                    }
                },
                jobId);
        if (headSeq[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new JobAudit(
                jobId, headSeq[0], HEX.formatHex(headHash[0]), events, verifier.finish(headSeq[0], headHash[0])));
    }

    /** Verifies every job's chain, streaming the events (never the whole table in memory). */
    @Transactional(readOnly = true)
    public AuditSummary verifyAll() {
        AllJobs all = new AllJobs();
        streaming.query(CHAIN + " ORDER BY j.id, e.seq", all::row);
        all.endJob();
        return new AuditSummary(all.invalidCount == 0, all.jobs, all.events, all.invalidCount, all.invalid);
    }

    /** Feeds the event of this row, if any, to the verifier; false for a job without events. */
    private static boolean check(ResultSet rs, UUID jobId, ChainVerifier verifier) throws SQLException {
        long seq = rs.getLong("seq");
        if (rs.wasNull()) {
            return false;
        }
        OffsetDateTime at = rs.getObject("at", OffsetDateTime.class);
        ChainHash.EventContent content = new ChainHash.EventContent(
                jobId,
                seq,
                at.toInstant(),
                rs.getString("actor"),
                rs.getString("type"),
                rs.getString("phase"),
                rs.getString("step_id"),
                rs.getString("from_state"),
                rs.getString("to_state"),
                rs.getString("reason"),
                rs.getString("detail"));
        byte[] prevHash = rs.getBytes("prev_hash");
        verifier.accept(seq, prevHash, rs.getBytes("hash"), ChainHash.of(prevHash, content));
        return true;
    }

    private ChainedEvent event(ResultSet rs) throws SQLException {
        String detail = rs.getString("detail");
        try {
            return new ChainedEvent(
                    rs.getLong("seq"),
                    rs.getObject("at", OffsetDateTime.class).toInstant(),
                    rs.getString("actor"),
                    rs.getString("type"),
                    rs.getString("phase"),
                    rs.getString("step_id"),
                    rs.getString("from_state"),
                    rs.getString("to_state"),
                    rs.getString("reason"),
                    detail == null ? null : json.readTree(detail),
                    HEX.formatHex(rs.getBytes("prev_hash")),
                    HEX.formatHex(rs.getBytes("hash")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored detail is not JSON", e);
        }
    }

    /** The state of a verification across all jobs: one verifier at a time, jobs in id order. */
    private static final class AllJobs {
        private final List<AuditSummary.InvalidJob> invalid = new ArrayList<>();
        private long jobs;
        private long events;
        private long invalidCount;
        private UUID job;
        private long headSeq;
        private byte[] headHash;
        private ChainVerifier verifier;

        void row(ResultSet rs) throws SQLException {
            UUID id = rs.getObject("job_id", UUID.class);
            if (!id.equals(job)) {
                endJob();
                job = id;
                headSeq = rs.getLong("audit_head_seq");
                headHash = rs.getBytes("audit_head_hash");
                verifier = new ChainVerifier();
            }
            check(rs, id, verifier);
        }

        void endJob() {
            if (job == null) {
                return;
            }
            ChainVerification result = verifier.finish(headSeq, headHash);
            jobs++;
            events += result.checkedEvents();
            if (!result.valid()) {
                invalidCount++;
                if (invalid.size() < LISTED_INVALID_JOBS) {
                    invalid.add(new AuditSummary.InvalidJob(job, result.firstInvalidSeq(), result.problem()));
                }
            }
            job = null;
        }
    }
}
