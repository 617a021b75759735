package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.Engine;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Two jobs never change the same AWS resource at once: the second waits, or is refused at start. */
class ResourceLockIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: cluster, type: string, required: true}
            phases:
              freeze:
                steps:
                  - id: stop
                    action: aws.ecs.scaleService
                    with: {cluster: "${params.cluster}", service: backend, desiredCount: 0}
                  - {id: hold, action: wait, with: {duration: PT2S}}
              verify:
                steps:
                  - {id: done, action: noop}
            """;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());

    @Test
    void theSecondJobWaitsForTheFirstAndThenRuns() {
        Api api = api();
        String cluster = cluster();
        String plan = Jobs.registerPlan(api, "locks", PLAN);
        UUID first = Jobs.create(api, "alice", plan, Map.of("cluster", cluster));
        UUID second = Jobs.create(api, "bob", plan, Map.of("cluster", cluster));
        api.as("alice").post("/api/v1/jobs/" + first + "/start", null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> Jobs.get(api, first).get("resources").size() == 1);
        assertThat(Jobs.get(api, first).get("resources").get(0).asText())
                .isEqualTo("ecs:service:" + cluster + "/backend");

        api.as("bob").post("/api/v1/jobs/" + second + "/start", null);
        JsonNode waiting = awaitState(api, second, "WAITING");
        assertThat(waiting.get("waitingFor").get("heldBy").asText()).isEqualTo(first.toString());
        assertThat(waiting.get("waitingFor").get("resource").asText()).isEqualTo("ecs:service:" + cluster + "/backend");

        awaitState(api, first, "SUCCEEDED");
        // Woken by the release, not by the 30 s retry.
        awaitState(api, second, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(Jobs.get(api, first).get("resources")).isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM resource_lock WHERE job_id IN (?, ?)", Integer.class, first, second))
                .isZero();
    }

    @Test
    void inRefuseModeTheSecondJobCannotStart() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase(), "ferry.locks.on-conflict=REFUSE")) {
            Api api = engine.api();
            String cluster = cluster();
            String plan = Jobs.registerPlan(api, "locks-refuse", PLAN);
            UUID first = Jobs.create(api, "alice", plan, Map.of("cluster", cluster));
            UUID second = Jobs.create(api, "bob", plan, Map.of("cluster", cluster));
            assertThat(api.as("alice")
                            .post("/api/v1/jobs/" + first + "/start", null)
                            .status())
                    .isEqualTo(200);
            Api.Response refused = api.as("bob").post("/api/v1/jobs/" + second + "/start", null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("type").asText()).endsWith("/resource-locked");
            assertThat(refused.json().get("heldBy").asText()).isEqualTo(first.toString());
            assertThat(Jobs.get(api, second).get("state").asText()).isEqualTo("CREATED");
            awaitState(api, first, "SUCCEEDED");
            assertThat(api.as("bob")
                            .post("/api/v1/jobs/" + second + "/start", null)
                            .status())
                    .isEqualTo(200);
            awaitState(api, second, "SUCCEEDED");
        }
    }

    private String cluster() {
        return EcsFixtures.clusterWithBackend(ecs, "locks", 2);
    }
}
