package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.CountingAction;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Whole jobs through the real HTTP API, workers and database. */
class JobLifecycleIT extends FerryIT {

    private static final String APPROVALS_PLAN =
            """
            name: %s
            description: all phases, approvals on cutover and cleanup
            parameters:
              - {name: label, type: string, default: demo}
            phases:
              prepare:
                steps:
                  - {id: snapshot, action: test.count}
                  - {id: remember, action: noop, with: {output: {value: 42}}}
              copy:
                steps:
                  - {id: settle, action: wait, with: {duration: PT0.2S}}
              cutover:
                approval: {required: 2, roles: [approver]}
                steps:
                  - {id: switch, action: test.count}
              cleanup:
                approval: {required: 1}
                steps:
                  - {id: tidy, action: noop, with: {message: "${params.label}"}}
            """;

    private static final String FAILING_PLAN =
            """
            name: %s
            phases:
              copy:
                steps:
                  - id: flaky
                    action: fail
                    with: {times: 2, message: disk full}
                    retry: {maxAttempts: 1, backoff: PT0.05S}
                  - {id: after, action: test.count}
            """;

    @Test
    void aPlanWithApprovalsRunsToSucceeded() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "approvals", APPROVALS_PLAN);
        UUID id = Jobs.create(api, "alice", plan, Map.of());
        assertThat(Jobs.get(api, id).get("state").asText()).isEqualTo("CREATED");

        assertThat(api.as("alice").post("/api/v1/jobs/" + id + "/start", null).status())
                .isEqualTo(200);
        JsonNode awaiting = awaitState(api, id, "AWAITING_APPROVAL");
        assertThat(awaiting.get("currentPhase").asText()).isEqualTo("CUTOVER");
        assertThat(phase(awaiting, "CUTOVER").get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(step(awaiting, "settle").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(phase(awaiting, "FREEZE").get("status").asText()).isEqualTo("SKIPPED");

        Api.Response own = api.as("alice", "approver")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "mine"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json().get("type").asText()).endsWith("/separation-of-duties");

        Api.Response noRole =
                api.as("mallory", "operator").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        assertThat(noRole.status()).isEqualTo(403);
        assertThat(noRole.json().get("type").asText()).endsWith("/forbidden");

        JsonNode afterOne = api.as("bob", "approver")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "looks good"))
                .json();
        assertThat(afterOne.get("state").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(phase(afterOne, "CUTOVER")
                        .get("approval")
                        .get("validApprovals")
                        .asInt())
                .isEqualTo(1);

        api.as("carol", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "ok"));
        JsonNode cleanup = awaitState(api, id, "AWAITING_APPROVAL");
        await(() -> "CLEANUP".equals(Jobs.get(api, id).get("currentPhase").asText()));
        assertThat(CountingAction.count(id, "switch")).isEqualTo(1);

        api.as("dave").post("/api/v1/jobs/" + id + "/phases/cleanup/approve", null);
        JsonNode done = awaitState(api, id, "SUCCEEDED");
        assertThat(done.get("finishedAt").isNull()).isFalse();
        assertThat(CountingAction.count(id, "snapshot")).isEqualTo(1);
        JsonNode decisions = phase(done, "CUTOVER").get("approval").get("decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).get("planSha256").asText())
                .isEqualTo(done.get("plan").get("sha256").asText());

        List<JsonNode> events = events(api, id);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
        }
        assertThat(events.stream().map(e -> e.get("type").asText()))
                .contains(
                        "JOB_CREATED",
                        "JOB_STARTED",
                        "PHASE_STARTED",
                        "STEP_STARTED",
                        "STEP_SUCCEEDED",
                        "PHASE_AWAITING_APPROVAL",
                        "APPROVAL_RECORDED",
                        "PHASE_APPROVED",
                        "JOB_SUCCEEDED");
        JsonNode approved = events.stream()
                .filter(e -> e.get("type").asText().equals("PHASE_APPROVED"))
                .findFirst()
                .orElseThrow();
        assertThat(approved.get("actor").asText()).isEqualTo("carol");
        assertThat(approved.get("from").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(approved.get("to").asText()).isEqualTo("RUNNING");
    }

    @Test
    void rejectionBeforeAnyStepCancels() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "reject-early",
                """
                name: %s
                phases:
                  prepare:
                    approval: {required: 1}
                    steps:
                      - {id: never, action: test.count}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "AWAITING_APPROVAL");
        Api.Response noComment = api.as("bob").post("/api/v1/jobs/" + id + "/phases/prepare/reject", Map.of());
        assertThat(noComment.status()).isEqualTo(400);
        Api.Response rejected =
                api.as("bob").post("/api/v1/jobs/" + id + "/phases/prepare/reject", Map.of("comment", "not this week"));
        assertThat(rejected.status()).isEqualTo(200);
        JsonNode job = rejected.json();
        assertThat(job.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(phase(job, "PREPARE").get("status").asText()).isEqualTo("REJECTED");
        assertThat(CountingAction.count(id, "never")).isZero();
    }

    @Test
    void rejectionAfterStepsPausesAndResumeAsksAgain() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "reject-late",
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - {id: first, action: test.count}
                  cutover:
                    approval: {required: 1}
                    steps:
                      - {id: switch, action: test.count}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/reject", Map.of("comment", "metrics look off"));
        JsonNode paused = awaitState(api, id, "PAUSED");
        assertThat(phase(paused, "CUTOVER").get("status").asText()).isEqualTo("REJECTED");

        api.as("alice").post("/api/v1/jobs/" + id + "/resume", Map.of("reason", "metrics fixed"));
        JsonNode again = awaitState(api, id, "AWAITING_APPROVAL");
        assertThat(phase(again, "CUTOVER").get("approval").get("round").asInt()).isEqualTo(2);
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        awaitState(api, id, "SUCCEEDED");
        assertThat(CountingAction.count(id, "switch")).isEqualTo(1);
    }

    @Test
    void aFailingStepPausesTheJobAndRetrySucceeds() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "failing", FAILING_PLAN);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        JsonNode paused = awaitState(api, id, "PAUSED");
        JsonNode flaky = step(paused, "flaky");
        assertThat(flaky.get("status").asText()).isEqualTo("FAILED");
        assertThat(flaky.get("error").get("message").asText()).contains("disk full");
        assertThat(paused.get("lastError").asText()).contains("flaky");
        assertThat(paused.get("allowedActions")).extracting(JsonNode::asText).contains("retry", "skip-step", "cancel");

        Api.Response resume = api.as("alice").post("/api/v1/jobs/" + id + "/resume", null);
        assertThat(resume.status()).isEqualTo(409);
        assertThat(resume.json().get("type").asText()).endsWith("/transition-not-allowed");
        assertThat(resume.json().get("currentState").asText()).isEqualTo("PAUSED");

        api.as("alice").post("/api/v1/jobs/" + id + "/retry", Map.of("reason", "freed space"));
        JsonNode pausedAgain = awaitState(api, id, "PAUSED");
        assertThat(step(pausedAgain, "flaky").get("attempt").asInt()).isEqualTo(2);
        api.as("alice").post("/api/v1/jobs/" + id + "/retry", null);
        JsonNode done = awaitState(api, id, "SUCCEEDED");
        assertThat(step(done, "flaky").get("attempt").asInt()).isEqualTo(3);
        assertThat(CountingAction.count(id, "after")).isEqualTo(1);
    }

    @Test
    void retriesWithBackoffBeforeGivingUp() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "backoff",
                """
                name: %s
                phases:
                  copy:
                    steps:
                      - id: flaky
                        action: fail
                        with: {times: 2}
                        retry: {maxAttempts: 3, backoff: PT0.05S, maxBackoff: PT0.2S}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        JsonNode done = awaitState(api, id, "SUCCEEDED");
        assertThat(step(done, "flaky").get("attempt").asInt()).isEqualTo(3);
        assertThat(events(api, id).stream().filter(e -> e.get("type").asText().equals("STEP_ATTEMPT_FAILED")))
                .hasSize(2);
    }

    @Test
    void aSkippedStepIsRecordedWithItsReason() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "skip", FAILING_PLAN);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "PAUSED");
        assertThat(api.as("alice")
                        .post("/api/v1/jobs/" + id + "/steps/flaky/skip", Map.of())
                        .status())
                .isEqualTo(400);
        api.as("alice").post("/api/v1/jobs/" + id + "/steps/flaky/skip", Map.of("reason", "copied by hand"));
        JsonNode done = awaitState(api, id, "SUCCEEDED");
        assertThat(step(done, "flaky").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(step(done, "flaky").get("skipReason").asText()).isEqualTo("copied by hand");
        assertThat(events(api, id).stream()
                        .anyMatch(e -> e.get("type").asText().equals("STEP_SKIPPED")
                                && e.get("actor").asText().equals("alice")))
                .isTrue();
    }

    @Test
    void pauseAndResume() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "pause",
                """
                name: %s
                phases:
                  copy:
                    steps:
                      - {id: long, action: wait, with: {duration: PT1S}}
                      - {id: after, action: test.count}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        assertThat(api.as("alice")
                        .post("/api/v1/jobs/" + id + "/pause", Map.of("reason", "hold"))
                        .status())
                .isEqualTo(200);
        awaitState(api, id, "PAUSED");
        assertThat(api.as("alice").post("/api/v1/jobs/" + id + "/pause", null).status())
                .isEqualTo(409);
        api.as("alice").post("/api/v1/jobs/" + id + "/resume", null);
        awaitState(api, id, "SUCCEEDED");
        assertThat(CountingAction.count(id, "after")).isEqualTo(1);
    }

    @Test
    void cancelStopsEverything() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "cancel",
                """
                name: %s
                phases:
                  copy:
                    steps:
                      - {id: long, action: wait, with: {duration: PT30S}}
                      - {id: never, action: test.count}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        await(() ->
                "RUNNING".equals(step(Jobs.get(api, id), "long").get("status").asText()));
        JsonNode cancelled = api.as("alice")
                .post("/api/v1/jobs/" + id + "/cancel", Map.of("reason", "window missed"))
                .json();
        assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(step(cancelled, "never").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(cancelled.get("rollbackAvailable").asBoolean()).isFalse();
        assertThat(api.as("alice").post("/api/v1/jobs/" + id + "/start", null).status())
                .isEqualTo(409);
    }

    @Test
    void etagAndNotModified() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "etag",
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - {id: one, action: noop}
                """);
        UUID id = Jobs.create(api, "alice", plan, Map.of());
        Api.Response first = api.get("/api/v1/jobs/" + id);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"");
        Api.Response notModified = api.header("If-None-Match", etag).get("/api/v1/jobs/" + id);
        assertThat(notModified.status()).isEqualTo(304);
        api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
        awaitState(api, id, "SUCCEEDED");
        assertThat(api.header("If-None-Match", etag).get("/api/v1/jobs/" + id).status())
                .isEqualTo(200);
    }

    @Test
    void idempotencyKeyReturnsTheSameJobAndRefusesAnotherBody() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "idem",
                """
                name: %s
                parameters:
                  - {name: target, type: string, required: true}
                phases:
                  prepare:
                    steps:
                      - {id: one, action: noop}
                """);
        Api alice = api.as("alice").header("Idempotency-Key", "deploy-" + UUID.randomUUID());
        Map<String, Object> body = Map.of("plan", plan, "name", "n", "parameters", Map.of("target", "a"));
        Api.Response first = alice.post("/api/v1/jobs", body);
        Api.Response second = alice.post("/api/v1/jobs", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
        Api.Response other =
                alice.post("/api/v1/jobs", Map.of("plan", plan, "name", "n", "parameters", Map.of("target", "b")));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("type").asText()).endsWith("/idempotency-key-reused");
    }

    @Test
    void listingFiltersAndPages() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "listing",
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - {id: one, action: noop}
                """);
        for (int i = 0; i < 5; i++) {
            Jobs.create(api, "alice", plan, Map.of());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/jobs?plan=" + plan + "&state=CREATED&limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("items").forEach(j -> seen.add(j.get("id").asText()));
            cursor = page.get("nextCursor") == null || page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    }

    private static List<JsonNode> events(Api api, UUID id) {
        List<JsonNode> events = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?after=0&limit=1000")
                .json()
                .get("items")
                .forEach(events::add);
        return events;
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(condition);
    }
}
