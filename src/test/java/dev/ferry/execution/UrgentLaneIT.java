package dev.ferry.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.HoldingAction;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Urgent work never waits behind routine work for a slot: with the one routine slot held by a long
 * call, an approved phase's first step and a rollback's compensations still run at once, in the
 * urgent lane ({@code ferry.worker.urgent-slots}), and only they: the approved phase's next step is
 * routine again and waits for the routine slot, as does a started job's first step. Without the lane the approved step waits for the
 * held call: the lane is what makes the difference.
 */
class UrgentLaneIT {

    private static final String HOLDER =
            """
            name: %s
            parameters:
              - {name: label, type: string, required: true}
            phases:
              copy:
                steps:
                  - {id: long-copy, action: test.hold, with: {label: "${params.label}"}}
            """;

    private static final String APPROVED =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: a, action: noop}
              cutover:
                approval: {required: 1, roles: [approver]}
                steps:
                  - {id: x, action: noop}
                  - {id: y, action: noop}
            """;

    @Test
    void anApprovedPhaseAndARollbackRunWhileTheRoutineSlotIsHeld() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase(), "ferry.worker.concurrency=1")) {
            Api api = engine.api();
            UUID approved = awaitingApproval(api);
            UUID rolledBack = awaitingApproval(api);
            String label = "lane-" + UUID.randomUUID();
            UUID holder = holding(api, label);

            // A start is routine: with the routine slot held, its first step is queued, not run in
            // the lane (it would be started by the start's own transaction).
            UUID started = Jobs.start(api, "alice", Jobs.registerPlan(api, "lane", APPROVED), Map.of());
            assertThat(Jobs.step(Jobs.get(api, started), "a").get("status").asText())
                    .isEqualTo("PENDING");

            approve(api, approved);
            await().atMost(Duration.ofSeconds(30)).until(() -> Jobs.step(Jobs.get(api, approved), "x")
                    .get("status")
                    .asText()
                    .equals("SUCCEEDED"));
            assertThat(Jobs.get(api, holder).get("state").asText())
                    .as("the routine slot is still held")
                    .isEqualTo("RUNNING");
            // The lane ran the urgent step only: y is routine and waits for the routine slot.
            assertThat(Jobs.step(Jobs.get(api, approved), "y").get("status").asText())
                    .isEqualTo("PENDING");

            assertThat(api.as("alertmanager")
                            .post("/api/v1/jobs/" + rolledBack + "/rollback", Map.of("reason", "alarm"))
                            .status())
                    .isEqualTo(200);
            JsonNode done = Jobs.awaitState(api, rolledBack, "ROLLED_BACK", Duration.ofSeconds(30));
            assertThat(Jobs.step(done, "a").get("status").asText()).isEqualTo("COMPENSATED");
            assertThat(Jobs.get(api, holder).get("state").asText()).isEqualTo("RUNNING");

            assertThat(Jobs.step(Jobs.get(api, started), "a").get("status").asText())
                    .isEqualTo("PENDING");

            HoldingAction.release(label);
            Jobs.awaitState(api, holder, "SUCCEEDED");
            Jobs.awaitState(api, approved, "SUCCEEDED");
            Jobs.awaitState(api, started, "AWAITING_APPROVAL");
        }
    }

    @Test
    void withoutTheLaneTheApprovedStepWaitsForTheHeldCall() {
        try (Engine engine =
                Engine.start(TestDatabase.newDatabase(), "ferry.worker.concurrency=1", "ferry.worker.urgent-slots=0")) {
            Api api = engine.api();
            UUID approved = awaitingApproval(api);
            String label = "no-lane-" + UUID.randomUUID();
            UUID holder = holding(api, label);

            approve(api, approved);
            // No slot is free until the held call returns, so nothing can have started x yet.
            JsonNode waiting = Jobs.get(api, approved);
            assertThat(Jobs.step(waiting, "x").get("status").asText()).isEqualTo("PENDING");

            HoldingAction.release(label);
            Jobs.awaitState(api, holder, "SUCCEEDED");
            Jobs.awaitState(api, approved, "SUCCEEDED");
        }
    }

    private static UUID awaitingApproval(Api api) {
        String plan = Jobs.registerPlan(api, "lane", APPROVED);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        return id;
    }

    private static UUID holding(Api api, String label) {
        String plan = Jobs.registerPlan(api, "holder", HOLDER);
        UUID id = Jobs.start(api, "alice", plan, Map.of("label", label));
        await().atMost(Duration.ofSeconds(30)).until(() -> HoldingAction.holding(label));
        return id;
    }

    private static void approve(Api api, UUID id) {
        assertThat(api.as("bob", "approver")
                        .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "go"))
                        .status())
                .isEqualTo(200);
    }
}
