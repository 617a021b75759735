package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.HealthEndpoint;
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
        try (HealthEndpoint slow = HealthEndpoint.start().delay(Duration.ofSeconds(30));
                ServiceProcess a = first.join();
                ServiceProcess b = second.join()) {
            String plan = Operator.registerPlan(a, "takeover", Operator.ONE_CALL_PLAN);
            UUID job = Operator.startJob(a, plan, Map.of("url", slow.url()));
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.requests() > 0);
            Lease held = lease(jdbc, job);
            ServiceProcess holder = held.owner().contains("-" + a.pid() + "-") ? a : b;
            ServiceProcess survivor = holder == a ? b : a;

            Instant kill = Instant.now();
            holder.kill();
            slow.delay(Duration.ZERO);
            await().atMost(LEASE.plusSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> lease(jdbc, job).token() > held.token()
                            || "SUCCEEDED".equals(lease(jdbc, job).status()));
            Duration reclaimed = Duration.between(kill, Instant.now());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == 1);
            Duration finished = Duration.between(kill, Instant.now());

            assertThat(holder.isAlive()).isFalse();
            assertThat(reclaimed).as("taken over after the lease, not much later")
                    .isGreaterThan(LEASE.minusSeconds(1)).isLessThan(LEASE.plusSeconds(5));
            Ledger.assertAuditGapless(jdbc);
            System.out.printf("[takeover] lease %d s; holder (pid %d) killed mid-step; survivor (pid %d) re-claimed"
                            + " the step %.1f s after the kill and finished the job %.1f s after it%n",
                    LEASE.toSeconds(), holder.pid(), survivor.pid(), reclaimed.toMillis() / 1000.0,
                    finished.toMillis() / 1000.0);
        }
    }

    private record Lease(String owner, long token, String status) {
    }

    private static Lease lease(JdbcTemplate jdbc, UUID job) {
        return jdbc.queryForObject("SELECT lease_owner, lease_token, status FROM step_execution"
                + " WHERE job_id = ? AND step_id = 'call'", (rs, i) -> new Lease(rs.getString(1), rs.getLong(2),
                rs.getString(3)), job);
    }
}
