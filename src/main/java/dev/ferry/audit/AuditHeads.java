package dev.ferry.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The head of every job's chain, for anchoring outside Ferry: record a job's head when it has
 * ended, and any later export or verification must end at that head (a closed chain never moves,
 * V31). Pages in job id order; read-only.
 */
@Service
public class AuditHeads {

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcTemplate jdbc;

    AuditHeads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One job's head: {@code closed} when the job has ended and its chain takes no more events.
     *
     * @param updatedAt when the job last changed (its head moves only with a change)
     */
    public record Head(UUID jobId, String state, boolean closed, long headSeq, String headHash, Instant updatedAt) {}

    /** A page of heads; {@code next} is the {@code after} of the next page, null on the last one. */
    public record Page(List<Head> heads, UUID next) {}

    /**
     * Heads of jobs changed at or after {@code since} (null: all), of ended jobs only if {@code
     * closedOnly}, with a job id above {@code after} (null: from the first), at most {@code limit}.
     */
    @Transactional(readOnly = true)
    public Page page(Instant since, boolean closedOnly, UUID after, int limit) {
        List<Head> heads = new ArrayList<>(jdbc.query(
                """
                SELECT id, state, job_state_terminal(state) AS closed, audit_head_seq, audit_head_hash, updated_at
                  FROM migration_job
                 WHERE (?::uuid IS NULL OR id > ?::uuid)
                   AND (?::timestamptz IS NULL OR updated_at >= ?::timestamptz)
                   AND (NOT ? OR job_state_terminal(state))
                 ORDER BY id
                 LIMIT ?
                """,
                (rs, i) -> new Head(
                        rs.getObject("id", UUID.class),
                        rs.getString("state"),
                        rs.getBoolean("closed"),
                        rs.getLong("audit_head_seq"),
                        HEX.formatHex(rs.getBytes("audit_head_hash")),
                        rs.getTimestamp("updated_at").toInstant()),
                after,
                after,
                since == null ? null : Timestamp.from(since),
                since == null ? null : Timestamp.from(since),
                closedOnly,
                limit + 1));
        UUID next = null;
        if (heads.size() > limit) {
            heads.remove(limit);
            next = heads.get(limit - 1).jobId();
        }
        return new Page(heads, next);
    }
}
