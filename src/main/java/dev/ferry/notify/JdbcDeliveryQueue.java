package dev.ferry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The outbox as a work queue on PostgreSQL. Claims with {@code FOR UPDATE SKIP LOCKED} (replicas
 * never wait on each other) and a claim that expires (a sender that died loses it); per job and
 * target, a notification is handed out only when every earlier one is sent or given up, so each
 * receiver sees a job's notifications in timeline order.
 */
@Repository
class JdbcDeliveryQueue {

    private static final String CLAIM =
            """
            UPDATE notification_outbox o
               SET claimed_by = ?, claim_token = o.claim_token + 1, claim_expires_at = ?, attempts = o.attempts + 1
             WHERE o.id IN (
                   SELECT c.id FROM notification_outbox c
                    WHERE c.status = 'PENDING' AND c.next_attempt_at <= ?
                      AND (c.claim_expires_at IS NULL OR c.claim_expires_at <= ?)
                      AND NOT EXISTS (SELECT 1 FROM notification_outbox e
                                       WHERE e.job_id = c.job_id AND e.target = c.target
                                         AND e.event_seq < c.event_seq AND e.status = 'PENDING')
                    ORDER BY c.next_attempt_at
                    LIMIT ?
                    FOR UPDATE OF c SKIP LOCKED)
            RETURNING o.id, o.job_id, o.event_seq, o.kind, o.target, o.attempts, o.claim_token, o.payload, o.created_at
            """;

    private static final String NEXT_DUE =
            """
            SELECT min(greatest(next_attempt_at, coalesce(claim_expires_at, next_attempt_at)))
              FROM notification_outbox WHERE status = 'PENDING'
            """;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    JdbcDeliveryQueue(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Delivery> claim(String owner, int max, Duration claimTimeout, Instant now) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query(CLAIM, this::delivery, owner, Timestamp.from(now.plus(claimTimeout)), at, at, max);
    }

    /** When the next delivery becomes claimable, if any. */
    Optional<Instant> nextDue() {
        return Optional.ofNullable(jdbc.queryForObject(NEXT_DUE, Timestamp.class))
                .map(Timestamp::toInstant);
    }

    /** Marks it sent; false if the claim was lost meanwhile (then nothing changes). */
    boolean sent(Delivery delivery, Instant now) {
        return jdbc.update(
                        """
                UPDATE notification_outbox SET status = 'SENT', sent_at = ?, claimed_by = NULL,
                       claim_expires_at = NULL, last_error = NULL
                 WHERE id = ? AND claim_token = ? AND status = 'PENDING'
                """,
                        Timestamp.from(now),
                        delivery.id(),
                        delivery.claimToken())
                == 1;
    }

    /** Schedules another attempt at {@code retryAt}; false if the claim was lost meanwhile. */
    boolean retry(Delivery delivery, String error, Instant retryAt) {
        return jdbc.update(
                        """
                UPDATE notification_outbox SET next_attempt_at = ?, claimed_by = NULL, claim_expires_at = NULL,
                       last_error = ?
                 WHERE id = ? AND claim_token = ? AND status = 'PENDING'
                """,
                        Timestamp.from(retryAt),
                        error,
                        delivery.id(),
                        delivery.claimToken())
                == 1;
    }

    /** Gives it up for good; false if the claim was lost meanwhile. */
    boolean failed(Delivery delivery, String error) {
        return jdbc.update(
                        """
                UPDATE notification_outbox SET status = 'FAILED', claimed_by = NULL, claim_expires_at = NULL,
                       last_error = ?
                 WHERE id = ? AND claim_token = ? AND status = 'PENDING'
                """,
                        error,
                        delivery.id(),
                        delivery.claimToken())
                == 1;
    }

    private Delivery delivery(ResultSet rs, int row) throws SQLException {
        try {
            return new Delivery(
                    rs.getObject("id", UUID.class),
                    rs.getObject("job_id", UUID.class),
                    rs.getLong("event_seq"),
                    NotificationKind.ofCode(rs.getString("kind")).orElseThrow(),
                    rs.getString("target"),
                    rs.getInt("attempts"),
                    rs.getLong("claim_token"),
                    (ObjectNode) json.readTree(rs.getString("payload")),
                    rs.getTimestamp("created_at").toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable outbox payload " + rs.getObject("id"), e);
        }
    }
}
