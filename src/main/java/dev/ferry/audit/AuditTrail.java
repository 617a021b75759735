package dev.ferry.audit;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only timeline of every job (port for the rest of Ferry).
 *
 * <p>Contract: {@link Batch#write} joins the caller's transaction, which must hold the job's row lock
 * and have allocated {@code seq} from it, so a job's sequence starts at 1 and has no gaps; the
 * unique key (job, seq) turns any violation into a failed transaction instead of a silent gap or
 * duplicate. Entries are never changed or removed: the database refuses it (V5).
 *
 * <p>Each entry is hash-chained to its job's previous one: the hash is computed here ({@link
 * ChainHash}, over the detail as jsonb will print it, {@link JsonbText}) from the predecessor's
 * hash the caller holds under the row lock, and the caller moves the job's head. A change's entries
 * are written together ({@link Batch}), in one statement. The database
 * refuses an entry that does not follow its stored predecessor, and a head that names no entry
 * or not the last one (V26). {@link AuditChain} exports and verifies the chains.
 */
@Service
public class AuditTrail {

    /** All of one change's events in one statement: one round trip, one link check (V26). */
    private static final String INSERT =
            """
            INSERT INTO job_event (job_id, seq, at, actor, type, phase, step_id, from_state, to_state, reason,
                                   detail, prev_hash, hash)
            SELECT ?, e.seq, e.at, e.actor, e.type, e.phase, e.step_id, e.from_state, e.to_state, e.reason,
                   e.detail::jsonb, e.prev_hash, e.hash
              FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bytea[])
                   AS e(seq, at, actor, type, phase, step_id, from_state, to_state, reason, detail, prev_hash, hash)
            """;

    private final JobEventRepository events;
    private final JdbcTemplate jdbc;

    AuditTrail(JobEventRepository events, JdbcTemplate jdbc) {
        this.events = events;
        this.jdbc = jdbc;
    }

    /** Starts a batch of events for one job whose chain ends at {@code head}; nothing is written until {@link Batch#write}. */
    public Batch batch(UUID jobId, byte[] head) {
        return new Batch(jobId, head);
    }

    /**
     * One change's events for one job: each is hashed as it is added, after the one before (the
     * caller holds the job's row lock), and all are written together in the caller's transaction.
     */
    public final class Batch {

        private final UUID jobId;
        private final List<ChainHash.EventContent> pending = new ArrayList<>();
        private final List<byte[]> hashes = new ArrayList<>();
        /** The hash of the last event stored, and of the last one added. */
        private byte[] written;

        private byte[] head;

        private Batch(UUID jobId, byte[] head) {
            this.jobId = jobId;
            this.written = head;
            this.head = head;
        }

        /** Adds the event {@code seq} and returns its hash, the chain's new head. */
        public byte[] add(long seq, Instant at, JobEventDraft draft) {
            // timestamptz keeps microseconds (and rounds, not truncates): store exactly what was hashed.
            ChainHash.EventContent content = new ChainHash.EventContent(
                    jobId,
                    seq,
                    at.truncatedTo(ChronoUnit.MICROS),
                    draft.actor(),
                    draft.type().name(),
                    draft.phase() == null ? null : draft.phase().name(),
                    draft.stepId(),
                    draft.from(),
                    draft.to(),
                    draft.reason(),
                    JsonbText.of(draft.detail()));
            head = ChainHash.of(head, content);
            pending.add(content);
            hashes.add(head);
            return head;
        }

        /** Inserts the events added since the last write, in the caller's transaction. */
        public void write() {
            if (pending.isEmpty()) {
                return;
            }
            int n = pending.size();
            byte[][] previous = new byte[n][];
            for (int i = 0; i < n; i++) {
                previous[i] = i == 0 ? written : hashes.get(i - 1);
            }
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement(INSERT);
                insert.setObject(1, jobId);
                insert.setArray(2, connection.createArrayOf("bigint", column(ChainHash.EventContent::seq)));
                insert.setArray(
                        3,
                        connection.createArrayOf(
                                "timestamptz",
                                pending.stream()
                                        .map(e -> Timestamp.from(e.at()))
                                        .toArray()));
                insert.setArray(4, connection.createArrayOf("text", column(ChainHash.EventContent::actor)));
                insert.setArray(5, connection.createArrayOf("text", column(ChainHash.EventContent::type)));
                insert.setArray(6, connection.createArrayOf("text", column(ChainHash.EventContent::phase)));
                insert.setArray(7, connection.createArrayOf("text", column(ChainHash.EventContent::stepId)));
                insert.setArray(8, connection.createArrayOf("text", column(ChainHash.EventContent::from)));
                insert.setArray(9, connection.createArrayOf("text", column(ChainHash.EventContent::to)));
                insert.setArray(10, connection.createArrayOf("text", column(ChainHash.EventContent::reason)));
                insert.setArray(11, connection.createArrayOf("text", column(ChainHash.EventContent::detail)));
                insert.setArray(12, connection.createArrayOf("bytea", previous));
                insert.setArray(13, connection.createArrayOf("bytea", hashes.toArray(byte[][]::new)));
                return insert;
            });
            written = hashes.get(n - 1);
            pending.clear();
            hashes.clear();
        }

        private Object[] column(Function<ChainHash.EventContent, Object> field) {
            return pending.stream().map(field).toArray();
        }
    }

    /** Events with a sequence number above {@code after}, oldest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<JobEventRecord> after(UUID jobId, long after, int limit) {
        return events.findByJobIdAndSeqGreaterThanOrderBySeq(jobId, after, Limit.of(limit));
    }
}
