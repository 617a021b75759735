package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.CountingAction;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Phases that wait: a delay after an earlier phase (notBefore), and maintenance windows. */
class PhaseTimingIT extends FerryIT {

    @Test
    void cleanupWaitsItsDelayAfterObserveThenAsksForApproval() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "not-before",
                """
                name: %s
                phases:
                  observe:
                    steps:
                      - {id: watch, action: noop}
                  cleanup:
                    notBefore: {after: observe, delay: PT2S}
                    approval: {required: 1}
                    steps:
                      - {id: delete-old, action: test.count, irreversible: true}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        JsonNode waiting = awaitState(api, id, "WAITING");
        assertThat(waiting.get("waitingFor").get("kind").asText()).isEqualTo("notBefore");
        assertThat(Instant.parse(waiting.get("wakeAt").asText()))
                .isEqualTo(Instant.parse(
                        phase(waiting, "CLEANUP").get("earliestStart").asText()));
        JsonNode approval = awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        assertThat(approval.get("currentPhase").asText()).isEqualTo("CLEANUP");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cleanup/approve", null);
        awaitState(api, id, "SUCCEEDED");
    }

    @Test
    void anOperatorCanShortenASevenDayWait() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "not-before-long",
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
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        JsonNode waiting = awaitState(api, id, "WAITING");
        assertThat(Instant.parse(waiting.get("wakeAt").asText()))
                .isAfter(Instant.now().plus(Duration.ofDays(6)));
        Api.Response noReason = api.as("alice")
                .post(
                        "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                        Map.of("at", Instant.now().toString()));
        assertThat(noReason.status()).isEqualTo(400);
        api.as("alice")
                .post(
                        "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                        Map.of("at", Instant.now().toString(), "reason", "old system verified unused"));
        awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        JsonNode events =
                api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items");
        assertThat(events.findValuesAsText("type")).contains("TIMER_CHANGED", "JOB_WAITING", "JOB_WOKEN");
    }

    @Test
    void aShortenedWaitStillAsksForTheApproval() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "not-before-approval",
                """
                name: %s
                phases:
                  observe:
                    steps:
                      - {id: watch, action: noop}
                  cleanup:
                    notBefore: {after: observe, delay: P7D}
                    approval: {required: 1, roles: [approver]}
                    steps:
                      - {id: delete-old, action: test.count, irreversible: true}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "WAITING");
        api.as("alice")
                .post(
                        "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                        Map.of("at", Instant.now().toString(), "reason", "verified"));
        JsonNode awaiting = awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        assertThat(phase(awaiting, "CLEANUP").get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(CountingAction.count(id, "delete-old")).isZero();
        JsonNode events =
                api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items");
        assertThat(events.findValuesAsText("type")).contains("PHASE_AWAITING_APPROVAL");
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void anApprovedPhaseWaitsForItsWindow() {
        Api api = api();
        // A one-hour window on a day that is not today (UTC): the job must wait for it.
        DayOfWeek other = Instant.now().atZone(ZoneOffset.UTC).getDayOfWeek().plus(3);
        String plan = Jobs.registerPlan(
                api,
                "window",
                """
                name: %s
                phases:
                  cutover:
                    approval: {required: 1}
                    window: {days: [DAY], start: "03:00", end: "04:00", zone: UTC}
                    steps:
                      - {id: switch, action: test.count}
                """
                        .replace("DAY", other.name().substring(0, 3).toUpperCase(Locale.ROOT)));
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        JsonNode waiting = awaitState(api, id, "WAITING");
        assertThat(waiting.get("waitingFor").get("kind").asText()).isEqualTo("window");
        Instant opens = Instant.parse(waiting.get("wakeAt").asText());
        assertThat(opens.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(other);
        assertThat(opens.atZone(ZoneOffset.UTC).getHour()).isEqualTo(3);
        assertThat(CountingAction.count(id, "switch")).isZero();
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void aWindowInTheWrongZoneOrABackwardNotBeforeIsRejected() {
        Api.Response response = api().as("plan-author")
                .post(
                        "/api/v1/plans",
                        "application/yaml",
                        """
                name: bad-timing
                phases:
                  copy:
                    notBefore: {after: cleanup, delay: PT1H}
                  cutover:
                    window: {start: "03:00", end: "03:00", zone: Mars/Olympus}
                """);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("location"))
                .contains("phases.copy.notBefore.after", "phases.cutover.window.zone", "phases.cutover.window");
    }
}
