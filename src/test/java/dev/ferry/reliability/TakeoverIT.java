package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.HealthEndpoint;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two processes on one database; the one holding the lease of a running step is killed: the
 * survivor takes the step over once the lease expires, and the job finishes.
 */
class TakeoverIT {

    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void theSurvivorTakesOverTheDeadProcessStepAfterTheLease() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        ServiceProcess.Spec spec = ServiceProcess.Spec.of("takeover", database, "ferry.worker.lease=" + LEASE);
        CompletableFuture<ServiceProcess> first = CompletableFuture.supplyAsync(spec::start);
        CompletableFuture<ServiceProcess> second = CompletableFuture.supplyAsync(spec::start);
        try (HealthEndpoint slow = HealthEndpoint.start().hold();
                ServiceProcess a = first.join();
                ServiceProcess b = second.join()) {
            String plan = Operator.registerPlan(a, "takeover", Operator.ONE_CALL_PLAN);
            UUID job = Operator.startJob(a, plan, Map.of("url", slow.url()));
            await().atMost(Duration.ofSeconds(60)).until(() -> slow.requests() > 0);
            Lease held = lease(jdbc, job);
            ServiceProcess holder = held.owner().contains("-" + a.pid() + "-") ? a : b;
            ServiceProcess survivor = holder == a ? b : a;

            Instant kill = Instant.now();
            holder.kill();
            // The endpoint keeps holding the call, so the survivor's lease stays in place to be read.
            await().atMost(LEASE.plusSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> lease(jdbc, job).token() > held.token());
            Duration reclaimed = Duration.between(kill, Instant.now());
            Lease taken = lease(jdbc, job);
            slow.release();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == 1);
            Duration finished = Duration.between(kill, Instant.now());

            assertThat(holder.isAlive()).isFalse();
            assertThat(taken.owner()).as("the survivor holds the step").contains("-" + survivor.pid() + "-");
            // A lease is written as the claim's time plus the lease: so this is when the survivor claimed it.
            Instant claimedAt = taken.expiresAt().minus(LEASE);
            assertThat(claimedAt)
                    .as("re-claimed only once the dead holder's lease had expired")
                    .isAfterOrEqualTo(held.expiresAt());
            assertThat(Duration.between(held.expiresAt(), claimedAt))
                    .as("re-claimed at the lease's expiry (a generous bound: not a fallback poll much later)")
                    .isLessThan(Duration.ofSeconds(30));
            Ledger.assertAuditGapless(jdbc);
            System.out.printf(
                    "[takeover] lease %d s; holder (pid %d) killed mid-step; survivor (pid %d) re-claimed"
                            + " the step %.3f s after the lease expired (%.1f s after the kill) and finished the job"
                            + " %.1f s after the kill%n",
                    LEASE.toSeconds(),
                    holder.pid(),
                    survivor.pid(),
                    Duration.between(held.expiresAt(), claimedAt).toMillis() / 1000.0,
                    reclaimed.toMillis() / 1000.0,
                    finished.toMillis() / 1000.0);
        }
    }

    private record Lease(String owner, long token, Instant expiresAt) {}

    private static Lease lease(JdbcTemplate jdbc, UUID job) {
        return jdbc.queryForObject(
                "SELECT lease_owner, lease_token, lease_expires_at FROM step_execution"
                        + " WHERE job_id = ? AND step_id = 'call'",
                (rs, i) -> new Lease(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()),
                job);
    }
}
