package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.Estate;
import dev.ferry.support.FaultInjectingProxy;
import dev.ferry.support.Jobs;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * AWS misbehaves, through a fault-injecting proxy in front of the emulator: throttling, 5xx,
 * connections cut mid-response and slow answers on a quarter of all requests, and still every job
 * finishes; an error that retrying cannot fix pauses the job with AWS's code and message shown.
 */
class AwsFaultsIT {

    private static final int JOBS = 20;
    private static final double FAULT_RATE = 0.25;

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: bucket, type: string, required: true}
            phases:
              prepare:
                steps:
                  - id: flag
                    action: aws.ssm.putParameter
                    with: {name: "/ferry-faults/${job.id}/flag", value: "on", type: String}
                    retry: {maxAttempts: 8, backoff: PT0.2S, maxBackoff: PT2S}
              copy:
                steps:
                  - id: copy
                    action: aws.s3.copyObject
                    with: {sourceBucket: "${params.bucket}", sourceKey: seed.txt,
                           targetBucket: "${params.bucket}", targetKey: "copies/${job.id}"}
                    retry: {maxAttempts: 8, backoff: PT0.2S, maxBackoff: PT2S}
            """;

    @Test
    void jobsFinishThroughAwsFaultsAndPauseOnAnErrorRetriesCannotFix() {
        long seed = Long.getLong("ferry.faults.seed", System.nanoTime());
        System.out.println("[aws-faults] seed " + seed);
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        String bucket = Estate.versionedBucket("ferry-faults");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(AwsEmulator.endpoint());
                ServiceProcess service = ServiceProcess.Spec.of(
                                "aws-faults",
                                database,
                                "ferry.aws.endpoint=" + proxy.uri(),
                                "ferry.aws.max-attempts=3",
                                "ferry.aws.api-call-attempt-timeout=PT5S")
                        .start()) {
            String plan = Operator.registerPlan(service, "faults", PLAN);
            proxy.chaos(new Random(seed), FAULT_RATE);
            Instant begin = Instant.now();
            for (int i = 0; i < JOBS; i++) {
                Operator.startJob(service, plan, Map.of("bucket", bucket));
            }
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == JOBS);
            Duration took = Duration.between(begin, Instant.now());
            Map<FaultInjectingProxy.Chaos, Integer> outcomes = proxy.outcomes();
            int failedAttempts = jdbc.queryForObject(
                    "SELECT count(*) FROM job_event WHERE type = 'STEP_ATTEMPT_FAILED'", Integer.class);
            Ledger.assertAuditGapless(jdbc);

            proxy.pass();
            proxy.failWith(FaultInjectingProxy.Fault.json11(
                    400,
                    "AccessDeniedException",
                    "User: arn:aws:iam::123456789012:user/ferry is not authorized to perform: ssm:GetParameter"));
            // Preflight would refuse the start; the test is about the step meeting the denial itself.
            UUID denied = Operator.startJob(
                    service,
                    plan,
                    Map.of("bucket", bucket),
                    "the step's own handling of AccessDeniedException is under test");
            JsonNode paused = Jobs.awaitState(Operator.as(service), denied, "PAUSED", Duration.ofSeconds(60));
            JsonNode error = Jobs.step(paused, "flag").get("error");
            assertThat(error.get("code").asText()).isEqualTo("AccessDeniedException");
            assertThat(error.get("message").asText()).contains("not authorized to perform: ssm:GetParameter");
            assertThat(error.get("retryable").asBoolean()).isFalse();
            assertThat(paused.toString()).contains("AccessDeniedException");
            proxy.pass();
            assertThat(Operator.as(service)
                            .post("/api/v1/jobs/" + denied + "/retry", null)
                            .status())
                    .isEqualTo(200);
            Jobs.awaitState(Operator.as(service), denied, "SUCCEEDED", Duration.ofSeconds(60));

            System.out.printf(
                    "[aws-faults] %d jobs SUCCEEDED in %.1f s through %d proxied requests at a %.0f%% fault"
                            + " rate: %s; step attempts that failed and were retried by the step: %d;"
                            + " AccessDeniedException paused the job (error shown: %s), retry after the fix SUCCEEDED%n",
                    JOBS,
                    took.toMillis() / 1000.0,
                    proxy.requests(),
                    FAULT_RATE * 100,
                    outcomes,
                    failedAttempts,
                    error.get("code").asText());
        }
    }
}
