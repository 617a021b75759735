package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FaultInjectingProxy;
import dev.ferry.support.HealthEndpoint;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SIGTERM while three steps are in flight: the service stops claiming, lets the quick step finish
 * and record its result within the grace period, hands back the slow HTTP check (interrupted, it
 * records "in progress"), releases the lease of the AWS call that hangs in a socket read (so
 * another process takes it at once, not after the 5 min lease), and exits.
 *
 * <p>The test holds every answer itself: the quick step's endpoint answers only once the service
 * has said it is stopping, and the other two never answer before the exit. So the outcome does
 * not depend on how fast a loaded machine runs the steps.
 */
class GracefulShutdownIT {

    private static final Duration GRACE = Duration.ofSeconds(8);

    /**
     * Both held calls time out after 60 s: a process that waited for them would take at least that
     * long to exit. The bound leaves a loaded machine well over half a minute for the JVM's exit.
     */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(45);

    private static final String AWS_PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: call, action: aws.ssm.putParameter, with: {name: "/ferry-shutdown/${job.id}", value: "on"}}
            """;

    @Test
    void sigtermFinishesWhatItCanReleasesTheRestAndExits() throws IOException {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        try (HealthEndpoint quick = HealthEndpoint.start().hold();
                HealthEndpoint stuck = HealthEndpoint.start().hold();
                FaultInjectingProxy aws = FaultInjectingProxy.start(AwsEmulator.endpoint())) {
            aws.delay(Duration.ofMinutes(5));
            ServiceProcess service = ServiceProcess.Spec.of(
                            "shutdown",
                            database,
                            "ferry.worker.shutdown-grace=" + GRACE,
                            "ferry.worker.lease=PT5M",
                            "ferry.aws.endpoint=" + aws.uri(),
                            "ferry.aws.api-call-attempt-timeout=PT60S")
                    .start();
            String plan = Operator.registerPlan(service, "shutdown", Operator.ONE_CALL_PLAN);
            UUID finishing = Operator.startJob(service, plan, Map.of("url", quick.url()));
            Operator.startJob(service, plan, Map.of("url", stuck.url()));
            Operator.startJob(
                    service,
                    Operator.registerPlan(service, "shutdown-aws", AWS_PLAN),
                    Map.of(),
                    "AWS hangs on purpose: the test needs a call in flight at shutdown");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> quick.requests() > 0 && stuck.requests() > 0 && aws.requests() > 0);

            Instant term = Instant.now();
            service.terminate();
            // The quick step finishes only once the worker claims nothing more: its successor must stay PENDING.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(service.log()).contains("claims no more steps"));
            quick.release();
            int exitCode = service.awaitExit(Duration.ofSeconds(60));
            Duration stopped = Duration.between(term, Instant.now());

            assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(stepStatus(jdbc, finishing, "call"))
                    .as("the step that could finish")
                    .isEqualTo("SUCCEEDED");
            assertThat(stepStatus(jdbc, finishing, "after"))
                    .as("not claimed while stopping")
                    .isEqualTo("PENDING");
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM step_execution WHERE lease_owner IS NOT NULL"
                                    + " AND lease_expires_at > now()",
                            Integer.class))
                    .as("leases still held")
                    .isZero();
            assertThat(stopped).as("stopped without waiting for the held calls").isLessThan(EXIT_BOUND);

            Matcher stopLine = Pattern.compile("(\\d+) steps were running, (\\d+) leases released")
                    .matcher(Files.readString(service.log()));
            assertThat(stopLine.find())
                    .as("the dispatcher's stop line in " + service.log())
                    .isTrue();
            assertThat(Integer.parseInt(stopLine.group(2)))
                    .as("leases released")
                    .isGreaterThanOrEqualTo(1);

            stuck.release();
            aws.pass();
            ServiceProcess again = service.restart();
            Instant ready = Instant.now();
            try (again) {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == 3);
                Duration resumed = Duration.between(ready, Instant.now());
                Ledger.assertAuditGapless(jdbc);
                System.out.printf(
                        "[shutdown] SIGTERM with %s steps in flight (grace %d s): exited with %d after %.1f s;"
                                + " the quick step finished and was recorded, the held HTTP check was handed back,"
                                + " %s lease(s) of the hanging AWS call released; restarted process (ready in %.1f s)"
                                + " finished all 3 jobs %.1f s after ready (the lease is 5 min)%n",
                        stopLine.group(1),
                        GRACE.toSeconds(),
                        exitCode,
                        stopped.toMillis() / 1000.0,
                        stopLine.group(2),
                        again.startedIn().toMillis() / 1000.0,
                        resumed.toMillis() / 1000.0);
            }
        }
    }

    private static String stepStatus(JdbcTemplate jdbc, UUID job, String step) {
        return jdbc.queryForObject(
                "SELECT status FROM step_execution WHERE job_id = ? AND step_id = ?", String.class, job, step);
    }
}
