package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Estate;
import dev.ferry.support.HealthEndpoint;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service is killed with SIGKILL at random moments while 50 jobs run, and restarted each time:
 * every job still succeeds, every AWS side effect happened exactly once (counted in the emulator),
 * and every job's audit trail is gapless. {@code -Dferry.crash.seed=N} replays a run.
 */
class CrashIT {

    private static final int JOBS = 50;
    private static final int KILLS = 10;

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: bucket, type: string, required: true}
              - {name: healthUrl, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: settle, action: wait, with: {duration: PT1S}}
                  - id: flag
                    action: aws.ssm.putParameter
                    with: {name: "/ferry-crash/${job.id}/flag", value: "on", type: String}
              copy:
                steps:
                  - id: copy
                    action: aws.s3.copyObject
                    with: {sourceBucket: "${params.bucket}", sourceKey: seed.txt,
                           targetBucket: "${params.bucket}", targetKey: "copies/${job.id}"}
              verify:
                steps:
                  - {id: health, action: http.check, with: {url: "${params.healthUrl}", interval: PT0.2S}}
                  - {id: soak, action: wait, with: {duration: PT0.5S}}
            """;

    @Test
    void fiftyJobsSurviveTenKillsWithEverySideEffectOnce() throws InterruptedException {
        long seed = Long.getLong("ferry.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("[crash] seed " + seed);
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        String bucket = Estate.versionedBucket("ferry-crash");
        Instant begin = Instant.now();
        List<UUID> jobs = new ArrayList<>();
        List<Duration> startups = new ArrayList<>();
        int inFlightAtKills = 0;
        try (HealthEndpoint health = HealthEndpoint.start()) {
            ServiceProcess.Spec spec =
                    ServiceProcess.Spec.of("crash", database, "ferry.worker.lease=PT5S", "ferry.worker.concurrency=4");
            ServiceProcess service = spec.start();
            startups.add(service.startedIn());
            try {
                String plan = Operator.registerPlan(service, "crash", PLAN);
                Map<String, Object> parameters = Map.of("bucket", bucket, "healthUrl", health.url());
                for (int kill = 1; kill <= KILLS; kill++) {
                    for (int i = 0; i < JOBS / KILLS; i++) {
                        jobs.add(Operator.startJob(service, plan, parameters));
                    }
                    Thread.sleep(100 + random.nextInt(2900));
                    inFlightAtKills += leased(jdbc);
                    service.kill();
                    service = service.restart();
                    startups.add(service.startedIn());
                }
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == JOBS);
            } finally {
                service.close();
            }
        }
        Duration total = Duration.between(begin, Instant.now());
        assertThat(Ledger.jobsIn(jdbc, "SUCCEEDED")).isEqualTo(JOBS);
        int parameters = 0;
        int objects = 0;
        for (UUID job : jobs) {
            assertThat(Estate.parameterVersion("/ferry-crash/" + job + "/flag"))
                    .as("SSM versions of " + job)
                    .isEqualTo(1);
            parameters++;
            assertThat(Estate.objectVersions(bucket, "copies/" + job))
                    .as("S3 versions of " + job)
                    .isEqualTo(1);
            objects++;
        }
        int events = Ledger.assertAuditGapless(jdbc);
        System.out.printf(
                "[crash] kills survived: %d; jobs SUCCEEDED: %d/%d; steps leased at the kills: %d;"
                        + " SSM parameters at version 1: %d; S3 objects with exactly 1 version: %d;"
                        + " audit events (gapless): %d; restarts ready in %s s (median %s s); total %d s%n",
                KILLS,
                Ledger.jobsIn(jdbc, "SUCCEEDED"),
                JOBS,
                inFlightAtKills,
                parameters,
                objects,
                events,
                startups.stream()
                        .map(d -> String.format("%.1f", d.toMillis() / 1000.0))
                        .toList(),
                String.format(
                        "%.1f",
                        startups.stream()
                                        .sorted()
                                        .toList()
                                        .get(startups.size() / 2)
                                        .toMillis()
                                / 1000.0),
                total.toSeconds());
    }

    private static int leased(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM step_execution WHERE lease_owner IS NOT NULL", Integer.class);
    }
}
