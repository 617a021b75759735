package dev.ferry.execution;

import dev.ferry.job.ClaimedStep;
import dev.ferry.metrics.FerryMetrics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@link StepQueue} on PostgreSQL: {@code FOR UPDATE SKIP LOCKED} so replicas never wait on each other. */
@Repository
public class JdbcStepQueue implements StepQueue {

    /** What a claim writes: a new lease (and token, fencing the previous holder); no longer queued. */
    private static final String LEASE =
            """
            UPDATE step_execution s
               SET lease_owner = ?, lease_token = s.lease_token + 1, lease_expires_at = ?,
                   next_run_at = NULL, urgent = false, version = s.version + 1
            """;

    /**
     * Due steps, urgent first, then oldest first: an ordered walk of {@code step_execution_queue}
     * that stops after {@code max} rows. The CTE keeps what the claim overwrites: when the step
     * fell due. Public for the benchmark, which shows its plan ({@code EXPLAIN}) with 10,000 jobs
     * waiting.
     */
    public static final String CLAIM =
            """
            WITH due AS (
                   SELECT c.id, c.next_run_at AS due_at
                     FROM step_execution c JOIN migration_job j ON j.id = c.job_id
                    WHERE c.next_run_at IS NOT NULL AND c.next_run_at <= ?
                      AND j.state IN ('RUNNING', 'ROLLING_BACK')
                    ORDER BY c.urgent DESC, c.next_run_at
                    LIMIT ?
                    FOR UPDATE OF c SKIP LOCKED)
            """
                    + LEASE
                    + """
              FROM due
             WHERE s.id = due.id
            RETURNING s.id, s.job_id, s.lease_token, due.due_at
            """;

    /** {@link #CLAIM} of urgent steps only. */
    private static final String CLAIM_URGENT = CLAIM.replace(
            "AND j.state IN ('RUNNING', 'ROLLING_BACK')", "AND j.state IN ('RUNNING', 'ROLLING_BACK') AND c.urgent");

    /** Steps whose worker's lease ran out (it died or hung): taken over, oldest expiry first. */
    private static final String CLAIM_EXPIRED =
            """
            WITH expired AS (
                   SELECT c.id
                     FROM step_execution c JOIN migration_job j ON j.id = c.job_id
                    WHERE c.lease_owner IS NOT NULL AND c.lease_expires_at <= ?
                      AND j.state IN ('RUNNING', 'ROLLING_BACK')
                    ORDER BY c.lease_expires_at
                    LIMIT ?
                    FOR UPDATE OF c SKIP LOCKED)
            """
                    + LEASE
                    + """
              FROM expired
             WHERE s.id = expired.id
            RETURNING s.id, s.job_id, s.lease_token
            """;

    private static final String NEXT_DUE =
            """
            SELECT min(coalesce(c.next_run_at, c.lease_expires_at))
              FROM step_execution c JOIN migration_job j ON j.id = c.job_id
             WHERE j.state IN ('RUNNING', 'ROLLING_BACK') AND (c.next_run_at IS NOT NULL OR c.lease_owner IS NOT NULL)
            """;

    private final JdbcTemplate jdbc;
    private final FerryMetrics metrics;

    JdbcStepQueue(JdbcTemplate jdbc, FerryMetrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    @Override
    public List<ClaimedStep> claim(String owner, int max, int routineMax, Duration lease, Instant now) {
        Timestamp at = Timestamp.from(now);
        Timestamp until = Timestamp.from(now.plus(lease));
        List<ClaimedStep> claimed = new ArrayList<>();
        // Taken-over steps first: they have waited a whole lease already (they count as routine:
        // a claim clears the urgent mark, so whether they were is not known).
        if (routineMax > 0) {
            claimed.addAll(jdbc.query(
                    CLAIM_EXPIRED,
                    (rs, i) -> {
                        metrics.leaseExpired();
                        return claimed(rs, owner);
                    },
                    at,
                    routineMax,
                    owner,
                    until));
        }
        int routineLeft = routineMax - claimed.size();
        if (routineLeft > 0) {
            claimed.addAll(due(CLAIM, owner, routineLeft, at, until, now));
        }
        // The routine share is used up (or there was none): the rest only for urgent steps.
        if (claimed.size() == routineMax && claimed.size() < max) {
            claimed.addAll(due(CLAIM_URGENT, owner, max - claimed.size(), at, until, now));
        }
        return claimed;
    }

    private List<ClaimedStep> due(String sql, String owner, int max, Timestamp at, Timestamp until, Instant now) {
        return jdbc.query(
                sql,
                (rs, i) -> {
                    metrics.schedulingDelay(
                            Duration.between(rs.getTimestamp("due_at").toInstant(), now));
                    return claimed(rs, owner);
                },
                at,
                max,
                owner,
                until);
    }

    private static ClaimedStep claimed(ResultSet rs, String owner) throws SQLException {
        return new ClaimedStep(
                rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class), owner, rs.getLong("lease_token"));
    }

    @Override
    public int expireLeases(String owner, Instant now) {
        Timestamp at = Timestamp.from(now);
        return jdbc.update(
                "UPDATE step_execution SET lease_expires_at = ?, version = version + 1"
                        + " WHERE lease_owner = ? AND lease_expires_at > ?",
                at,
                owner,
                at);
    }

    @Override
    public int renewLeases(List<ClaimedStep> steps, Instant until) {
        // No version bump: the lease's end is no part of the job's view, and a worker recording a
        // result through the same row must not meet a conflict a heartbeat made.
        return jdbc.update(connection -> {
            PreparedStatement update = connection.prepareStatement(
                    """
                    UPDATE step_execution s SET lease_expires_at = ?
                      FROM unnest(?::uuid[], ?::text[], ?::bigint[]) AS held(id, owner, token)
                     WHERE s.id = held.id AND s.lease_owner = held.owner AND s.lease_token = held.token
                    """);
            update.setTimestamp(1, Timestamp.from(until));
            update.setArray(
                    2,
                    connection.createArrayOf(
                            "uuid", steps.stream().map(ClaimedStep::stepId).toArray()));
            update.setArray(
                    3,
                    connection.createArrayOf(
                            "text", steps.stream().map(ClaimedStep::owner).toArray()));
            update.setArray(
                    4,
                    connection.createArrayOf(
                            "bigint", steps.stream().map(ClaimedStep::token).toArray()));
            return update;
        });
    }

    @Override
    public Optional<Instant> nextDue() {
        Timestamp next = jdbc.queryForObject(NEXT_DUE, Timestamp.class);
        return Optional.ofNullable(next).map(Timestamp::toInstant);
    }
}
