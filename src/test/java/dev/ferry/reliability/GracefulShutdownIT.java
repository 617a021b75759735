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
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SIGTERM while two steps are in flight: the service stops claiming, lets the quick step finish
 * and record its result within the grace period, releases the lease of the one that could not
 * finish (so another process takes it at once, not after the 5 min lease), and exits.
 */
class GracefulShutdownIT {

    private static final Duration GRACE = Duration.ofSeconds(4);

    @Test
    void sigtermFinishesWhatItCanReleasesTheRestAndExits() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        try (HealthEndpoint quick = HealthEndpoint.start().delay(Duration.ofSeconds(2));
                HealthEndpoint stuck = HealthEndpoint.start().delay(Duration.ofSeconds(30))) {
            ServiceProcess service = ServiceProcess.Spec.of("shutdown", database,
                    "ferry.worker.shutdown-grace=" + GRACE, "ferry.worker.lease=PT5M").start();
            String plan = Operator.registerPlan(service, "shutdown", Operator.ONE_CALL_PLAN);
            UUID finishing = Operator.startJob(service, plan, Map.of("url", quick.url()));
            UUID unfinished = Operator.startJob(service, plan, Map.of("url", stuck.url()));
            await().atMost(Duration.ofSeconds(10)).until(() -> quick.requests() > 0 && stuck.requests() > 0);

            Instant term = Instant.now();
            service.terminate();
            int exitCode = service.awaitExit(Duration.ofSeconds(60));
            Duration stopped = Duration.between(term, Instant.now());

            assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(stepStatus(jdbc, finishing, "call")).as("the step that could finish").isEqualTo("SUCCEEDED");
            assertThat(stepStatus(jdbc, finishing, "after")).as("not claimed while stopping").isEqualTo("PENDING");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM step_execution WHERE lease_owner IS NOT NULL"
                    + " AND lease_expires_at > now()", Integer.class)).as("leases still held").isZero();
            assertThat(stopped).as("stopped within the grace period (+ JVM exit)").isLessThan(GRACE.plusSeconds(10));

            stuck.delay(Duration.ZERO);
            ServiceProcess again = service.restart();
            Instant ready = Instant.now();
            try (again) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == 2);
                Duration resumed = Duration.between(ready, Instant.now());
                Ledger.assertAuditGapless(jdbc);
                System.out.printf("[shutdown] SIGTERM with 2 steps in flight (grace %d s): exited with %d after %.1f s;"
                                + " the 2 s step finished and was recorded, the 30 s step's lease was released;"
                                + " restarted process (ready in %.1f s) finished both jobs %.1f s after ready%n",
                        GRACE.toSeconds(), exitCode, stopped.toMillis() / 1000.0,
                        again.startedIn().toMillis() / 1000.0, resumed.toMillis() / 1000.0);
            }
        }
    }

    private static String stepStatus(JdbcTemplate jdbc, UUID job, String step) {
        return jdbc.queryForObject("SELECT status FROM step_execution WHERE job_id = ? AND step_id = ?", String.class,
                job, step);
    }
}
