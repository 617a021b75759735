package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.job.JobQueries;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

/** Dashboards poll: 304 while nothing changed, a new ETag as soon as something did, and a wall-board summary. */
class JobPollingIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
                  - {id: two, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: wait, with: {duration: PT1H}}
            """;

    @Test
    void aJobAnswers304UntilItChanges() {
        Api api = api();
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "polling", PLAN), Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        Api.Response first = api.get("/api/v1/jobs/" + id);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"v2.");

        Api.Response same = api.header("If-None-Match", etag).get("/api/v1/jobs/" + id);
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.body()).isEmpty();

        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        Jobs.awaitState(api, id, "RUNNING");
        Awaitility.await().until(() -> "RUNNING"
                .equals(Jobs.step(Jobs.get(api, id), "switch").get("status").asText()));
        Api.Response changed = api.header("If-None-Match", etag).get("/api/v1/jobs/" + id);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.json().get("state").asText()).isEqualTo("RUNNING");
        // A worker's claim changes only the step row; the ETag still moves with it.
        String running = changed.header("ETag");
        assertThat(api.header("If-None-Match", running)
                        .get("/api/v1/jobs/" + id)
                        .status())
                .isEqualTo(304);
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(api.header("If-None-Match", running)
                        .get("/api/v1/jobs/" + id)
                        .status())
                .isEqualTo(200);
        assertThat(api.header("If-None-Match", "\"v2.0.0\"")
                        .get("/api/v1/jobs/" + UUID.randomUUID())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theListingAndTheWallBoardAnswer304AndShowProgress() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "board", PLAN);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");

        Api.Response board = api.get("/api/v1/jobs?view=summary&plan=" + plan);
        JsonNode line = board.json().get("items").get(0);
        assertThat(line.get("id").asText()).isEqualTo(id.toString());
        assertThat(line.get("state").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(line.get("currentPhase").asText()).isEqualTo("CUTOVER");
        assertThat(line.get("stepsDone").asInt()).isEqualTo(2);
        assertThat(line.get("stepsTotal").asInt()).isEqualTo(3);
        assertThat(api.header("If-None-Match", board.header("ETag"))
                        .get("/api/v1/jobs?view=summary&plan=" + plan)
                        .status())
                .isEqualTo(304);

        Api.Response list = api.get("/api/v1/jobs?plan=" + plan);
        assertThat(api.header("If-None-Match", list.header("ETag"))
                        .get("/api/v1/jobs?plan=" + plan)
                        .status())
                .isEqualTo(304);
        UUID second = Jobs.start(api, "alice", plan, Map.of());
        Api.Response grown = api.header("If-None-Match", list.header("ETag")).get("/api/v1/jobs?plan=" + plan);
        assertThat(grown.status()).isEqualTo(200);
        assertThat(grown.json().get("items")).hasSize(2);

        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        Awaitility.await().until(() -> "RUNNING"
                .equals(Jobs.step(Jobs.get(api, id), "switch").get("status").asText()));
        Api.Response moved =
                api.header("If-None-Match", board.header("ETag")).get("/api/v1/jobs?view=summary&plan=" + plan);
        assertThat(moved.status()).as("a job on the board changed").isEqualTo(200);
        assertThat(moved.header("ETag")).isNotEqualTo(list.header("ETag"));

        Api.Response bad = api.get("/api/v1/jobs?view=everything");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
        api.as("alice").post("/api/v1/jobs/" + second + "/cancel", null);
    }

    @Test
    void aNotModifiedAnswerIsOnePrimaryKeyReadSharedByConcurrentRequests() {
        String sql = "EXPLAIN "
                + JobQueries.VIEW_VERSION
                        .replaceFirst("\\?", "now()")
                        .replaceFirst("\\?", "ARRAY['" + UUID.randomUUID() + "', '" + UUID.randomUUID() + "']::uuid[]");
        // A test database holds few jobs, where a sequential scan is as good: ask what it would use at scale.
        String plan = jdbc.execute((ConnectionCallback<String>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
                StringBuilder lines = new StringBuilder();
                try (ResultSet rs = statement.executeQuery(sql)) {
                    while (rs.next()) {
                        lines.append(rs.getString(1)).append('\n');
                    }
                } finally {
                    statement.execute("RESET enable_seqscan");
                }
                return lines.toString();
            }
        });
        assertThat(plan).contains("migration_job_pkey").doesNotContain("Join").doesNotContain("Seq Scan on");
    }

    @Test
    void largeOutputsAreLinkedNotCopied() {
        Api api = api();
        String blob = "x".repeat(5000);
        String plan = Jobs.registerPlan(
                api,
                "large-output",
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - {id: small, action: noop, with: {output: {n: 1}}}
                      - {id: big, action: noop, with: {output: {blob: BLOB}}}
                """
                        .replace("BLOB", blob));
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "SUCCEEDED");
        Api.Response view = api.get("/api/v1/jobs/" + id);
        assertThat(view.body()).doesNotContain(blob);
        assertThat(Jobs.step(view.json(), "small").get("output").get("n").asInt())
                .isEqualTo(1);
        assertThat(Jobs.step(view.json(), "small").has("links")).isFalse();
        JsonNode big = Jobs.step(view.json(), "big");
        assertThat(big.has("output")).isFalse();
        String href = big.get("links").get("output").asText();
        assertThat(href).isEqualTo("/api/v1/jobs/" + id + "/steps/big/output");
        assertThat(api.get(href).json().get("blob").asText()).isEqualTo(blob);
        Api.Response unknown = api.get("/api/v1/jobs/" + id + "/steps/nope/output");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).endsWith("/step-not-found");
    }
}
