package dev.ferry.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports and verifies the hash chains of job events. Read-only; every hash is recomputed in Java
 * ({@link ChainHash}) from the stored values, so a verification does not trust the database
 * functions that wrote them. Each job's events and its recorded head are read by one statement,
 * so an event appended meanwhile is never half-seen. A verification of every chain remembers the
 * heads it found intact ({@link VerifiedHeads}) and, for {@code ferry.audit.verify.max-age}, does
 * not read those chains again while their head stays put; one job's export always reads it all.
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
    private static final String HEADS = "SELECT id, audit_head_seq, audit_head_hash FROM migration_job";

    private static final int JOBS_PER_PAGE = 500;

    private final JdbcTemplate streaming;
    private final ObjectMapper json;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final VerifiedHeads verified;
    private final Counter chainsRead;
    private final Counter chainsReused;
    /** One verification of every chain at a time: callers that wait then find most heads verified. */
    private final ReentrantLock verifying = new ReentrantLock(true);

    AuditChain(
            DataSource dataSource,
            ObjectMapper json,
            PlatformTransactionManager transactions,
            VerifyProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.streaming = new JdbcTemplate(dataSource);
        // With autocommit off (inside the transaction), PostgreSQL's driver fetches through a cursor.
        this.streaming.setFetchSize(500);
        this.json = json;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        this.verified = new VerifiedHeads(properties.maxAge(), properties.cachedChains());
        this.chainsRead = chains(meters, "read");
        this.chainsReused = chains(meters, "reused");
    }

    private static Counter chains(MeterRegistry meters, String how) {
        return Counter.builder("ferry.audit.verify.chains")
                .description("Job chains GET /audit/verify read and checked, or reused from an earlier"
                        + " verification of the same head")
                .tag("how", how)
                .register(meters);
    }

    /** The job's chain, its head and its verification (always read in full); empty if there is no such job. */
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

    /**
     * Verifies every job's chain, a page of jobs at a time in id order, streaming the events (never
     * the whole table in memory). A chain whose head is the one an earlier call found intact, less
     * than {@code ferry.audit.verify.max-age} ago, is not read again unless {@code fresh}; every
     * other chain is read and checked from its first event.
     */
    public AuditSummary verifyAll(boolean fresh) {
        verifying.lock();
        try {
            AllJobs all = new AllJobs(clock.instant());
            UUID after = null;
            List<Head> heads;
            do {
                heads = after == null
                        ? streaming.query(HEADS + " ORDER BY id LIMIT " + JOBS_PER_PAGE, AuditChain::head)
                        : streaming.query(
                                HEADS + " WHERE id > ? ORDER BY id LIMIT " + JOBS_PER_PAGE, AuditChain::head, after);
                List<String> stale = new ArrayList<>();
                for (Head head : heads) {
                    VerifiedHeads.Verified earlier =
                            fresh ? null : verified.reusable(head.job(), head.seq(), head.hash(), all.startedAt);
                    if (earlier == null) {
                        stale.add(head.job().toString());
                    } else {
                        all.reused(earlier);
                    }
                }
                if (!stale.isEmpty()) {
                    readOnly.executeWithoutResult(tx -> {
                        streaming.query(CHAIN + " WHERE j.id = ANY (?::uuid[]) ORDER BY j.id, e.seq", all::row, (Object)
                                stale.toArray(String[]::new));
                        all.endJob();
                    });
                }
                if (!heads.isEmpty()) {
                    after = heads.get(heads.size() - 1).job();
                }
            } while (heads.size() == JOBS_PER_PAGE);
            chainsRead.increment(all.jobs - all.reused);
            chainsReused.increment(all.reused);
            return new AuditSummary(
                    all.invalidCount == 0,
                    all.jobs,
                    all.events,
                    all.invalidCount,
                    all.invalid,
                    all.reused,
                    all.reusedSince);
        } finally {
            verifying.unlock();
        }
    }

    private record Head(UUID job, long seq, byte[] hash) {}

    private static Head head(ResultSet rs, int row) throws SQLException {
        return new Head(rs.getObject("id", UUID.class), rs.getLong("audit_head_seq"), rs.getBytes("audit_head_hash"));
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
    private final class AllJobs {
        private final List<AuditSummary.InvalidJob> invalid = new ArrayList<>();
        private final Instant startedAt;
        private long jobs;
        private long events;
        private long invalidCount;
        private long reused;
        private Instant reusedSince;
        private UUID job;
        private long headSeq;
        private byte[] headHash;
        private ChainVerifier verifier;

        AllJobs(Instant startedAt) {
            this.startedAt = startedAt;
        }

        void reused(VerifiedHeads.Verified earlier) {
            jobs++;
            reused++;
            events += earlier.headSeq();
            if (reusedSince == null || earlier.at().isBefore(reusedSince)) {
                reusedSince = earlier.at();
            }
        }

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
            // Remembered as of when this call began: a chain read later is not counted as younger.
            verified.record(job, headSeq, headHash, result.valid(), startedAt);
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
