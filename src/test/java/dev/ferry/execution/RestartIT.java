package dev.ferry.execution;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.CountingAction;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job survives its service: stopped in the middle of a wait, finished by the next start, once. */
class RestartIT {

    @Test
    void aJobInTheMiddleOfAWaitFinishesExactlyOnceAfterARestart() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        UUID id;
        String plan;
        try (Engine first = Engine.start(database)) {
            plan = Jobs.registerPlan(
                    first.api(),
                    "restart",
                    """
                    name: %s
                    phases:
                      prepare:
                        steps:
                          - {id: before, action: test.count}
                      copy:
                        steps:
                          - {id: settle, action: wait, with: {duration: PT3S}}
                      verify:
                        steps:
                          - {id: after, action: test.count}
                    """);
            id = Jobs.create(first.api(), "alice", plan, Map.of());
            first.api().as("alice").post("/api/v1/jobs/" + id + "/start", null);
            await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                    .equals(step(Jobs.get(first.api(), id), "settle")
                            .get("status")
                            .asText()));
        }
        try (Engine second = Engine.start(database)) {
            var done = awaitState(second.api(), id, "SUCCEEDED");
            assertThat(step(done, "settle").get("attempt").asInt()).isEqualTo(1);
            assertThat(CountingAction.count(id, "before")).isEqualTo(1);
            assertThat(CountingAction.count(id, "after")).isEqualTo(1);
            Integer starts = second.jdbc()
                    .queryForObject(
                            "SELECT count(*) FROM job_event WHERE job_id = ? AND type = 'STEP_STARTED' AND step_id = 'settle'",
                            Integer.class,
                            id);
            assertThat(starts).as("the wait continued, it did not start over").isEqualTo(1);
        }
    }

    @Test
    void aWaitingJobKeepsItsTimerAcrossARestart() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        UUID id;
        String wakeAt;
        try (Engine first = Engine.start(database)) {
            String plan = Jobs.registerPlan(
                    first.api(),
                    "restart-timer",
                    """
                    name: %s
                    phases:
                      observe:
                        steps:
                          - {id: watch, action: noop}
                      cleanup:
                        notBefore: {after: observe, delay: P7D}
                        steps:
                          - {id: delete-old, action: test.count}
                    """);
            id = Jobs.start(first.api(), "alice", plan, Map.of());
            wakeAt = awaitState(first.api(), id, "WAITING").get("wakeAt").asText();
        }
        try (Engine second = Engine.start(database)) {
            var waiting = Jobs.get(second.api(), id);
            assertThat(waiting.get("state").asText()).isEqualTo("WAITING");
            assertThat(waiting.get("wakeAt").asText()).isEqualTo(wakeAt);
            second.api()
                    .as("alice")
                    .post(
                            "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                            Map.of("at", Instant.now().toString(), "reason", "verified after restart"));
            awaitState(second.api(), id, "SUCCEEDED");
            assertThat(CountingAction.count(id, "delete-old")).isEqualTo(1);
        }
    }
}
