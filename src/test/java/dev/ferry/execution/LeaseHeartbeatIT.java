package dev.ferry.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Engine;
import dev.ferry.support.HealthEndpoint;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A step whose call outlasts its lease is not taken from the worker still running it: the worker
 * extends the lease while the call is under way, so the call is made once, and finishes as the
 * same claim (same token).
 */
class LeaseHeartbeatIT {

    private static final Duration LEASE = Duration.ofSeconds(2);

    @Test
    void aCallLongerThanItsLeaseKeepsItsClaimAndRunsOnce() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        try (HealthEndpoint slow = HealthEndpoint.start().hold();
                Engine engine = Engine.start(database, "ferry.worker.lease=" + LEASE)) {
            JdbcTemplate jdbc = engine.jdbc();
            String plan = Jobs.registerPlan(
                    engine.api(),
                    "heartbeat",
                    """
                    name: %s
                    parameters:
                      - {name: url, type: string, required: true}
                    phases:
                      prepare:
                        steps:
                          - {id: call, action: http.check, with: {url: "${params.url}", requestTimeout: PT5M}}
                    """);
            UUID id = Jobs.start(engine.api(), "alice", plan, Map.of("url", slow.url()));
            await().until(() -> slow.requests() > 0);
            Lease first = lease(jdbc, id);

            // The call is held: wait until its first lease is two leases past its end.
            Instant wellPast = first.expiresAt().plus(LEASE.multipliedBy(2));
            await().pollInterval(Duration.ofMillis(100))
                    .until(() -> databaseNow(jdbc).isAfter(wellPast));
            Lease later = lease(jdbc, id);
            assertThat(later.token())
                    .as("not claimed again while the call runs")
                    .isEqualTo(first.token());
            assertThat(later.owner()).isEqualTo(first.owner());
            assertThat(later.expiresAt()).as("extended by the running worker").isAfter(first.expiresAt());
            assertThat(slow.requests()).as("calls made").isEqualTo(1);

            slow.release();
            Jobs.awaitState(engine.api(), id, "SUCCEEDED");
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM job_event WHERE job_id = ? AND type = 'STEP_STARTED'",
                            Integer.class,
                            id))
                    .as("the step started once")
                    .isEqualTo(1);
            assertThat(slow.requests()).as("calls made").isEqualTo(1);
        }
    }

    private record Lease(String owner, long token, Instant expiresAt) {}

    private static Lease lease(JdbcTemplate jdbc, UUID job) {
        return jdbc.queryForObject(
                "SELECT lease_owner, lease_token, lease_expires_at FROM step_execution"
                        + " WHERE job_id = ? AND step_id = 'call'",
                (rs, i) -> new Lease(
                        rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()),
                job);
    }

    private static Instant databaseNow(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT now()", Timestamp.class).toInstant();
    }
}
