package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Checklist steps a person completes over the API: the role, the evidence, the timeline. */
class ManualStepIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              freeze:
                steps:
                  - id: announce
                    action: manual
                    with:
                      title: Tell the Fluxion team about the downtime
                      instructions: "Post in **#fluxion-ops** with the window and the rollback plan."
                      evidence: [url]
                  - {id: stop, action: noop}
              cleanup:
                steps:
                  - id: duckdb-check
                    action: manual
                    with: {title: Open the backup with DuckDB, role: dba, evidence: [note]}
            """;

    @Test
    void aPersonWithTheRoleCompletesAStepWithItsEvidenceAndTheJobMovesOn() {
        Api api = api();
        UUID id = Jobs.start(api, "olivia", Jobs.registerPlan(api, "manual", PLAN), Map.of());
        JsonNode waiting = awaitWaiting(api, id, "announce");
        assertThat(step(waiting, "announce").get("message").asText())
                .isEqualTo("waiting for a person (operator): Tell the Fluxion team about the downtime");
        assertThat(step(waiting, "stop").get("status").asText()).isEqualTo("PENDING");

        String complete = "/api/v1/jobs/" + id + "/steps/announce/complete";
        Api.Response noEvidence = api.as("oscar", "operator").post(complete, Map.of("note", "done"));
        assertThat(noEvidence.status()).isEqualTo(400);
        assertThat(noEvidence.json().get("type").asText()).endsWith("/evidence-missing");
        assertThat(api.as("oscar", "operator")
                        .post(complete, Map.of("evidence", Map.of("url", "javascript:alert(1)")))
                        .status())
                .isEqualTo(400);
        Api.Response wrongRole = api.as("vera", "approver")
                .post(complete, Map.of("evidence", Map.of("url", "https://chat.example.com/p1")));
        assertThat(wrongRole.status()).isEqualTo(403);
        assertThat(wrongRole.json().get("type").asText()).endsWith("/manual-step-forbidden");
        assertThat(api.as("oscar", "operator")
                        .post("/api/v1/jobs/" + id + "/steps/stop/complete", Map.of())
                        .status())
                .isEqualTo(409);

        Api.Response done = api.as("oscar", "operator")
                .post(
                        complete,
                        Map.of(
                                "note",
                                "posted",
                                "evidence",
                                Map.of("url", "https://chat.example.com/archives/C01/p1")));
        assertThat(done.status()).isEqualTo(200);
        assertThat(api.as("oscar", "operator")
                        .post(complete, Map.of("evidence", Map.of("url", "https://x.example")))
                        .status())
                .as("decided once")
                .isEqualTo(409);

        JsonNode atCleanup = awaitWaiting(api, id, "duckdb-check");
        JsonNode announce = step(atCleanup, "announce");
        assertThat(announce.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(announce.at("/output/by").asText()).isEqualTo("oscar");
        assertThat(announce.at("/output/evidence/url").asText()).isEqualTo("https://chat.example.com/archives/C01/p1");
        assertThat(step(atCleanup, "stop").get("status").asText()).isEqualTo("SUCCEEDED");

        // The DuckDB check belongs to a DBA, who must say what was seen.
        String check = "/api/v1/jobs/" + id + "/steps/duckdb-check/complete";
        assertThat(api.as("oscar", "operator")
                        .post(check, Map.of("note", "fine"))
                        .status())
                .isEqualTo(403);
        assertThat(api.as("dora", "dba").post(check, Map.of()).status()).isEqualTo(400);
        assertThat(api.as("dora", "dba")
                        .post(check, Map.of("note", "12,431 rows in ventas, as in production"))
                        .status())
                .isEqualTo(200);
        awaitState(api, id, "SUCCEEDED");

        List<String> timeline = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items").forEach(e -> {
            if (e.get("type").asText().startsWith("MANUAL_")) {
                timeline.add(e.get("type").asText() + " " + e.get("step").asText() + " by "
                        + e.get("actor").asText());
            }
        });
        assertThat(timeline)
                .containsExactly(
                        "MANUAL_STEP_COMPLETED announce by oscar", "MANUAL_STEP_COMPLETED duckdb-check by dora");
    }

    @Test
    void aDeclinedStepPausesTheJobWithTheReason() {
        Api api = api();
        UUID id = Jobs.start(api, "olivia", Jobs.registerPlan(api, "manual-decline", PLAN), Map.of());
        awaitWaiting(api, id, "announce");
        String decline = "/api/v1/jobs/" + id + "/steps/announce/decline";
        assertThat(api.as("oscar", "operator").post(decline, Map.of()).status())
                .as("a reason is required")
                .isEqualTo(400);
        assertThat(api.as("oscar", "operator")
                        .post(decline, Map.of("note", "the team asked to move the window"))
                        .status())
                .isEqualTo(200);
        JsonNode paused = awaitState(api, id, "PAUSED");
        assertThat(step(paused, "announce").at("/error/code").asText()).isEqualTo("MANUAL_DECLINED");
        assertThat(paused.get("lastError").asText()).contains("oscar declined: the team asked to move the window");
        api.as("olivia").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    private static JsonNode awaitWaiting(Api api, UUID id, String stepId) {
        Awaitility.await()
                .until(() ->
                        step(Jobs.get(api, id), stepId).path("message").asText().startsWith("waiting for a person"));
        return Jobs.get(api, id);
    }
}
