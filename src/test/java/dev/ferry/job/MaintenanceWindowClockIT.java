package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.CountingAction;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.MovableClock;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The ARCHITECTURE.md window (Sunday 03:00-04:00 America/Caracas) on a clock the test moves: an
 * approved CUTOVER waits, survives a restart of the service, and starts when Sunday 03:00 comes.
 */
class MaintenanceWindowClockIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              cutover:
                approval: {required: 1}
                window: {days: [SUN], start: "03:00", end: "04:00", zone: America/Caracas}
                steps:
                  - {id: switch, action: test.count}
            """;

    @Test
    void anApprovedCutoverWaitsForSundayNightAcrossARestart() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T15:00:00Z")); // Saturday 11:00 in Caracas
        UUID id;
        try (Engine engine = Engine.startWithMovableClock(clock, database)) {
            String plan = Jobs.registerPlan(engine.api(), "window-clock", PLAN);
            id = Jobs.start(engine.api(), "alice", plan, Map.of());
            awaitState(engine.api(), id, "AWAITING_APPROVAL");
            engine.api().as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            JsonNode waiting = awaitState(engine.api(), id, "WAITING");
            assertThat(waiting.get("wakeAt").asText()).isEqualTo("2026-11-22T07:00:00Z"); // Sunday 03:00 in Caracas
        }
        clock.set(Instant.parse("2026-11-22T06:59:00Z"));
        try (Engine engine = Engine.startWithMovableClock(clock, database)) {
            assertThat(Jobs.get(engine.api(), id).get("state").asText()).isEqualTo("WAITING");
            assertThat(CountingAction.count(id, "switch")).isZero();
            clock.set(Instant.parse("2026-11-22T07:00:05Z"));
            awaitState(engine.api(), id, "SUCCEEDED", Duration.ofSeconds(60));
            assertThat(CountingAction.count(id, "switch")).isEqualTo(1);
        }
    }

    @Test
    void aStepThatCannotFinishBeforeTheWindowClosesWaitsForTheNextOne() {
        String plan =
                """
                name: %s
                phases:
                  cutover:
                    window: {days: [SUN], start: "03:00", end: "04:00", zone: America/Caracas}
                    steps:
                      - {id: switch, action: test.count, estimate: PT20M}
                      - {id: verify, action: test.count, estimate: PT50M}
                """;
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T07:30:00Z")); // Sunday 03:30 in Caracas
        try (Engine engine = Engine.startWithMovableClock(clock, TestDatabase.newDatabase())) {
            UUID id = Jobs.start(
                    engine.api(), "alice", Jobs.registerPlan(engine.api(), "window-estimate", plan), Map.of());
            JsonNode waiting = awaitState(engine.api(), id, "WAITING");
            assertThat(CountingAction.count(id, "switch"))
                    .as("20 minutes fit before 04:00")
                    .isEqualTo(1);
            assertThat(CountingAction.count(id, "verify"))
                    .as("50 minutes do not")
                    .isZero();
            assertThat(waiting.get("wakeAt").asText()).isEqualTo("2026-11-29T07:00:00Z"); // next Sunday 03:00
            assertThat(waiting.at("/waitingFor/step").asText()).isEqualTo("verify");
            assertThat(waiting.at("/waitingFor/closesAt").asText()).isEqualTo("2026-11-22T08:00:00Z");

            clock.set(Instant.parse("2026-11-29T07:00:05Z"));
            awaitState(engine.api(), id, "SUCCEEDED", Duration.ofSeconds(60));
            assertThat(CountingAction.count(id, "verify")).isEqualTo(1);
            assertThat(CountingAction.count(id, "switch"))
                    .as("the finished step is not run again")
                    .isEqualTo(1);
        }
    }

    @Test
    void cleanupSevenDaysAfterObserveWaitsAcrossARestartAndAnOperatorCanExtendIt() {
        String plan =
                """
                name: %s
                phases:
                  observe:
                    steps:
                      - {id: watch, action: test.count}
                  cleanup:
                    notBefore: {after: observe, delay: P7D}
                    steps:
                      - {id: delete-old, action: test.count}
                """;
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:00Z"));
        UUID id;
        Instant wakeAt;
        try (Engine engine = Engine.startWithMovableClock(clock, database)) {
            id = Jobs.start(engine.api(), "alice", Jobs.registerPlan(engine.api(), "cleanup-clock", plan), Map.of());
            JsonNode waiting = awaitState(engine.api(), id, "WAITING");
            Instant observed = Instant.parse(
                    Jobs.phase(waiting, "OBSERVE").get("finishedAt").asText());
            wakeAt = Instant.parse(waiting.get("wakeAt").asText());
            assertThat(wakeAt).isEqualTo(observed.plus(Duration.ofDays(7)));
            assertThat(waiting.at("/waitingFor/kind").asText()).isEqualTo("notBefore");
        }
        clock.set(wakeAt.minus(Duration.ofMinutes(1)));
        try (Engine engine = Engine.startWithMovableClock(clock, database)) {
            assertThat(Jobs.get(engine.api(), id).get("state").asText()).isEqualTo("WAITING");
            // "After 7 days without issues" became 8: the operator extends the wait, and it is audited.
            Instant later = wakeAt.plus(Duration.ofDays(1));
            assertThat(engine.api()
                            .as("alice")
                            .post(
                                    "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                                    Map.of("at", later.toString(), "reason", "one more day of observation"))
                            .status())
                    .isLessThan(300);
            assertThat(Jobs.get(engine.api(), id).get("wakeAt").asText()).isEqualTo(later.toString());
            clock.set(wakeAt.plusSeconds(5));
            Awaitility.await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> CountingAction.count(id, "delete-old") == 0);
            clock.set(later.plusSeconds(5));
            awaitState(engine.api(), id, "SUCCEEDED", Duration.ofSeconds(60));
            assertThat(CountingAction.count(id, "delete-old")).isEqualTo(1);
            JsonNode changed = null;
            for (JsonNode event : engine.api()
                    .get("/api/v1/jobs/" + id + "/events?limit=1000")
                    .json()
                    .get("items")) {
                changed = event.get("type").asText().equals("TIMER_CHANGED") ? event : changed;
            }
            assertThat(changed).isNotNull();
            assertThat(changed.get("actor").asText()).isEqualTo("alice");
            assertThat(changed.get("reason").asText()).isEqualTo("one more day of observation");
        }
    }
}
