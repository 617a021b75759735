package dev.ferry.rollback;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.CountingAction;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Rollback as a saga: compensations newest first, real AWS state restored, idempotent, refused past no return. */
class RollbackIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: cluster, type: string, required: true}
            phases:
              freeze:
                steps:
                  - id: stop-backend
                    action: aws.ecs.scaleService
                    with: {cluster: "${params.cluster}", service: backend, desiredCount: 0}
              copy:
                steps:
                  - id: copy
                    action: noop
                    with: {output: {rows: 7}}
                    compensate: {action: noop, with: {message: "discard ${steps.copy.output.rows} rows"}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
              cleanup:
                steps:
                  - {id: delete-old, action: noop, irreversible: true}
                  - {id: linger, action: wait, with: {duration: PT20S}}
            """;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());

    @Test
    void rollbackBeforeCutoverRestoresFreezeAndIsIdempotent() {
        String cluster = cluster();
        Api api = api();
        UUID id = startJob(api, cluster);
        JsonNode awaiting = awaitState(api, id, "AWAITING_APPROVAL");
        assertThat(desiredCount(cluster)).isZero();
        assertThat(awaiting.get("rollbackAvailable").asBoolean()).isTrue();
        assertThat(awaiting.get("rollbackPlan"))
                .extracting(c -> c.get("step").asText())
                .containsExactly("copy", "stop-backend");

        Api alerting = api.as("alertmanager");
        assertThat(alerting.post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "5xx rate high"))
                        .status())
                .isEqualTo(200);
        JsonNode rolledBack = awaitState(api, id, "ROLLED_BACK");
        assertThat(desiredCount(cluster)).isEqualTo(2);
        assertThat(step(rolledBack, "stop-backend").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(step(rolledBack, "copy").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(phase(rolledBack, "FREEZE").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(phase(rolledBack, "CUTOVER").get("status").asText()).isEqualTo("SKIPPED");

        assertThat(alerting.post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "still firing"))
                        .status())
                .isEqualTo(200);
        List<String> types = new ArrayList<>();
        List<String> compensated = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items").forEach(e -> {
            types.add(e.get("type").asText());
            if (e.get("type").asText().equals("STEP_COMPENSATED")) {
                compensated.add(e.get("step").asText());
            }
        });
        assertThat(compensated).containsExactly("copy", "stop-backend");
        assertThat(types).contains("ROLLBACK_REQUESTED", "JOB_ROLLED_BACK");
        // The repeat came after the end: answered as a duplicate, but a closed history takes no event (V31).
        assertThat(types).doesNotContain("ROLLBACK_DUPLICATE");
        assertThat(desiredCount(cluster)).isEqualTo(2);
    }

    @Test
    void aStepUnderWayThatChangesSomethingFinishesAndIsUndoneFirst() {
        String plan = Jobs.registerPlan(
                api(),
                "rollback-in-flight",
                """
                name: %s
                phases:
                  freeze:
                    steps:
                      - {id: freeze, action: test.count, compensate: {action: test.count}}
                  cutover:
                    steps:
                      - {id: provision, action: wait, with: {duration: PT3S}, compensate: {action: test.count}}
                      - {id: soak, action: wait, with: {duration: PT1H}}
                """);
        Api api = api();
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                .equals(step(Jobs.get(api, id), "provision").get("status").asText()));
        JsonNode running = Jobs.get(api, id);
        assertThat(running.get("rollbackPlan"))
                .extracting(c -> c.get("step").asText())
                .containsExactly("provision", "freeze");

        api.as("alice").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "latency"));
        JsonNode rollingBack = Jobs.get(api, id);
        assertThat(rollingBack.get("state").asText()).isEqualTo("ROLLING_BACK");
        assertThat(step(rollingBack, "provision").get("status").asText())
                .as("left to finish")
                .isEqualTo("RUNNING");
        assertThat(step(rollingBack, "soak").get("status").asText())
                .as("never started")
                .isEqualTo("SKIPPED");

        JsonNode rolledBack = awaitState(api, id, "ROLLED_BACK");
        assertThat(step(rolledBack, "provision").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(CountingAction.count(id, "provision"))
                .as("its compensation ran once")
                .isEqualTo(1);
        List<String> order = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items").forEach(e -> {
            String type = e.get("type").asText();
            if (type.equals("STEP_SUCCEEDED") || type.equals("STEP_COMPENSATION_STARTED")) {
                order.add(type + " " + e.get("step").asText());
            }
        });
        assertThat(order)
                .containsSubsequence(
                        "STEP_SUCCEEDED provision",
                        "STEP_COMPENSATION_STARTED provision",
                        "STEP_COMPENSATION_STARTED freeze");
    }

    @Test
    void rollbackIsRefusedOnceAnIrreversibleStepStarted() {
        String cluster = cluster();
        Api api = api();
        UUID id = startJob(api, cluster);
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                .equals(step(Jobs.get(api, id), "linger").get("status").asText()));
        JsonNode job = Jobs.get(api, id);
        assertThat(job.get("rollbackAvailable").asBoolean()).isFalse();
        Api.Response refused = api.as("alice").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "too late"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).endsWith("/rollback-unavailable");
        assertThat(refused.json().get("irreversibleStep").asText()).isEqualTo("delete-old");
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void aFailingCompensationLeavesTheJobRollingBackWithTheErrorVisible() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "bad-undo",
                """
                name: %s
                phases:
                  freeze:
                    steps:
                      - id: freeze
                        action: noop
                        compensate: {action: fail, with: {retryable: false, message: cannot restore}}
                  cutover:
                    approval: {required: 1}
                    steps:
                      - {id: switch, action: noop}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("alice").post("/api/v1/jobs/" + id + "/rollback", null);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> step(Jobs.get(api, id), "freeze").path("error").has("code"));
        JsonNode stuck = Jobs.get(api, id);
        assertThat(stuck.get("state").asText()).isEqualTo("ROLLING_BACK");
        assertThat(step(stuck, "freeze").get("status").asText()).isEqualTo("COMPENSATING");
        assertThat(stuck.get("lastError").asText()).contains("cannot restore");

        Api.Response notStuck =
                api.as("alice").post("/api/v1/jobs/" + id + "/steps/switch/compensation/done", Map.of("reason", "x"));
        assertThat(notStuck.status()).isEqualTo(409);
        assertThat(notStuck.json().get("type").asText()).endsWith("/compensation-not-failed");
        JsonNode done = api.as("oscar")
                .post(
                        "/api/v1/jobs/" + id + "/steps/freeze/compensation/done",
                        Map.of("reason", "restored the replica count by hand"))
                .json();
        assertThat(step(done, "freeze").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(step(done, "freeze").at("/compensationOutput/by").asText()).isEqualTo("oscar");
        awaitState(api, id, "ROLLED_BACK");
    }

    @Test
    void anOperatorCanRetryAFailedCompensation() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "retry-undo",
                """
                name: %s
                phases:
                  freeze:
                    steps:
                      - id: freeze
                        action: noop
                        compensate: {action: fail, with: {retryable: false, times: 2, message: throttled by hand}}
                  cutover:
                    approval: {required: 1}
                    steps:
                      - {id: switch, action: noop}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("alice").post("/api/v1/jobs/" + id + "/rollback", null);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> step(Jobs.get(api, id), "freeze").path("error").has("code"));
        api.as("alice")
                .post("/api/v1/jobs/" + id + "/steps/freeze/compensation/retry", Map.of("reason", "quota raised"));
        JsonNode rolledBack = awaitState(api, id, "ROLLED_BACK");
        assertThat(step(rolledBack, "freeze").get("status").asText()).isEqualTo("COMPENSATED");
    }

    private UUID startJob(Api api, String cluster) {
        String plan = Jobs.registerPlan(api, "rollback", PLAN);
        return Jobs.start(api, "alice", plan, Map.of("cluster", cluster));
    }

    private String cluster() {
        return EcsFixtures.clusterWithBackend(ecs, "rollback", 2);
    }

    private int desiredCount(String cluster) {
        return EcsFixtures.desiredCount(ecs, cluster);
    }
}
