package dev.ferry.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Ledger;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas drive one campaign; the one it was created on is killed (SIGKILL) in the middle
 * of a wave. The survivor finishes the campaign: every target gets exactly one job, the wave's
 * concurrency is never exceeded, and the campaign's timeline has each launch once.
 */
class CampaignTakeoverIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              copy:
                steps:
                  - {id: copy, action: noop}
                  - {id: hold, action: wait, with: {duration: PT2S}}
            """;

    @Test
    void aReplicaKilledMidWaveChangesNothingInTheOutcome() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        ServiceProcess.Spec spec = ServiceProcess.Spec.of(
                "campaign-takeover", database, "ferry.worker.lease=PT5S", "ferry.campaigns.poll=PT0.5S");
        CompletableFuture<ServiceProcess> first = CompletableFuture.supplyAsync(spec::start);
        CompletableFuture<ServiceProcess> second = CompletableFuture.supplyAsync(spec::start);
        try (ServiceProcess a = first.join();
                ServiceProcess b = second.join()) {
            String plan = Operator.registerPlan(a, "campaign-takeover", PLAN);
            List<Map<String, Object>> targets = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                targets.add(Map.of("name", "t" + i));
                names.add("t" + i);
            }
            Api.Response created = Operator.as(a)
                    .post(
                            "/api/v1/campaigns",
                            Map.of(
                                    "name",
                                    "taken over",
                                    "plan",
                                    plan,
                                    "targets",
                                    targets,
                                    "waves",
                                    List.of(Map.of("targets", names, "maxConcurrent", 2))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> launched(jdbc, id) >= 2);
            a.kill();

            JsonNode done = await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> Operator.as(b).get("/api/v1/campaigns/" + id).json(),
                            c -> c.get("state").asText().equals("SUCCEEDED"));
            assertThat(done.get("counts").get("SUCCEEDED").asInt()).isEqualTo(6);
            assertThat(jdbc.queryForObject(
                            "SELECT count(DISTINCT job_id) FROM campaign_target WHERE campaign_id = ?::uuid",
                            Integer.class,
                            id))
                    .isEqualTo(6);
            assertThat(Ledger.jobsIn(jdbc, "SUCCEEDED")).isEqualTo(6);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM campaign_event WHERE campaign_id = ?::uuid AND type = 'JOB_LAUNCHED'",
                            Integer.class,
                            id))
                    .isEqualTo(6);
            // Never more than two jobs of the wave ran at once, across both replicas and the kill.
            assertThat(jdbc.queryForObject(
                            """
                            SELECT max(n) FROM (
                              SELECT (SELECT count(*) FROM migration_job o
                                       WHERE o.id IN (SELECT job_id FROM campaign_target WHERE campaign_id = ?::uuid)
                                         AND o.created_at <= j.created_at AND o.finished_at > j.created_at) AS n
                                FROM migration_job j
                               WHERE j.id IN (SELECT job_id FROM campaign_target WHERE campaign_id = ?::uuid)) c""",
                            Integer.class,
                            id,
                            id))
                    .isLessThanOrEqualTo(2);
            Ledger.assertAuditGapless(jdbc);
        }
    }

    private static int launched(JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM campaign_target WHERE campaign_id = ?::uuid AND job_id IS NOT NULL",
                Integer.class,
                id);
    }
}
