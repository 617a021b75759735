package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.HealthEndpoint;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.StoppableDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database goes away for 15 s in the middle of work: readiness goes DOWN, requests get 503
 * problem documents, nothing is half-written, and work resumes by itself when it returns.
 */
class DatabaseOutageIT {

    private static final int JOBS = 8;
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: healthUrl, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: a, action: wait, with: {duration: PT1S}}
                  - {id: b, action: http.check, with: {url: "${params.healthUrl}", interval: PT0.2S}}
                  - {id: c, action: wait, with: {duration: PT1S}}
              copy:
                steps:
                  - {id: d, action: wait, with: {duration: PT1S}}
                  - {id: e, action: wait, with: {duration: PT1S}}
              verify:
                steps:
                  - {id: f, action: http.check, with: {url: "${params.healthUrl}", interval: PT0.2S}}
                  - {id: g, action: wait, with: {duration: PT1S}}
            """;

    @Test
    void workSurvivesFifteenSecondsWithoutDatabase() {
        try (StoppableDatabase database = StoppableDatabase.start();
                HealthEndpoint health = HealthEndpoint.start();
                ServiceProcess service = ServiceProcess.Spec.of(
                                "outage", database.coordinates(), "ferry.worker.lease=PT5S")
                        .start()) {
            JdbcTemplate jdbc = database.coordinates().jdbc();
            String plan = Operator.registerPlan(service, "outage", PLAN);
            for (int i = 0; i < JOBS; i++) {
                Operator.startJob(service, plan, Map.of("healthUrl", health.url()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> succeededSteps(jdbc) >= JOBS);

            Instant down = Instant.now();
            database.stop();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.readiness() == 503);
            Duration toNotReady = Duration.between(down, Instant.now());
            Map<Integer, Integer> duringOutage = new TreeMap<>();
            Api api = Operator.as(service);
            while (Duration.between(down, Instant.now()).compareTo(OUTAGE.minusSeconds(2)) < 0) {
                for (Api.Response response : new Api.Response[] {
                    api.get("/api/v1/jobs"),
                    api.post(
                            "/api/v1/jobs",
                            Map.of(
                                    "plan",
                                    plan,
                                    "name",
                                    "during outage",
                                    "parameters",
                                    Map.of("healthUrl", health.url())))
                }) {
                    duringOutage.merge(response.status(), 1, Integer::sum);
                    assertThat(response.status()).as(response.toString()).isEqualTo(503);
                    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                    assertThat(response.header("Retry-After")).isNotBlank();
                    assertThat(response.json().get("type").asText()).endsWith("/service-unavailable");
                }
            }
            ServiceProcess.sleepUntil(down.plus(OUTAGE));
            assertThat(service.isAlive()).isTrue();

            Instant back = Instant.now();
            database.resume();
            int before = succeededSteps(jdbc);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.readiness() == 200);
            Duration toReady = Duration.between(back, Instant.now());
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> succeededSteps(jdbc) > before);
            Duration toNextStep = Duration.between(back, Instant.now());
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Ledger.jobsIn(jdbc, "SUCCEEDED") == JOBS);
            Duration toAllDone = Duration.between(back, Instant.now());

            assertThat(jdbc.queryForObject("SELECT count(*) FROM migration_job", Integer.class))
                    .as("jobs: none created by a request during the outage")
                    .isEqualTo(JOBS);
            int events = Ledger.assertAuditGapless(jdbc);
            Ledger.assertNoOrphanedSteps(jdbc);
            System.out.printf(
                    "[outage] database down %d s; readiness DOWN after %.1f s; requests during outage %s"
                            + " (all 503 problem+json with Retry-After); database back -> readiness UP in %.1f s,"
                            + " next step completed in %.1f s, all %d jobs SUCCEEDED in %.1f s; audit events"
                            + " (gapless): %d; steps completed before the outage: %d%n",
                    OUTAGE.toSeconds(),
                    seconds(toNotReady),
                    duringOutage,
                    seconds(toReady),
                    seconds(toNextStep),
                    JOBS,
                    seconds(toAllDone),
                    events,
                    before);
        }
    }

    private static int succeededSteps(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM step_execution WHERE status = 'SUCCEEDED'", Integer.class);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
