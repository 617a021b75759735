package dev.ferry.rehearsal;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
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
 * A rehearsal against "staging" measures how long each phase takes; a production job of the same
 * plan then shows those durations, and warns that CUTOVER does not fit inside its 30-minute window.
 * The clock is moved by hand while manual steps wait for a person, so the durations are exact.
 */
class RehearsalIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: cluster, type: string, required: true}
            phases:
              prepare:
                steps:
                  - id: announce
                    action: manual
                    with: {title: "Announce the window for ${params.cluster}"}
              cutover:
                window: {start: "00:00", end: "00:30", zone: UTC}
                steps:
                  - id: switch
                    action: manual
                    with: {title: Switch the traffic}
            """;

    @Test
    void aSucceededRehearsalGivesTheProductionJobItsExpectedDurationsAndAWindowWarning() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T00:01:00Z"));
        try (Engine engine = Engine.startWithMovableClock(clock, TestDatabase.newDatabase())) {
            Api api = engine.api();
            String plan = Jobs.registerPlan(api, "rehearsed", PLAN);

            Api.Response created = api.as("alice", "operator")
                    .post(
                            "/api/v1/jobs",
                            Map.of(
                                    "plan",
                                    plan,
                                    "name",
                                    "staging rehearsal",
                                    "rehearsal",
                                    true,
                                    "parameters",
                                    Map.of("cluster", "staging-cluster")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("rehearsal").asBoolean()).isTrue();
            UUID rehearsal = UUID.fromString(created.json().get("id").asText());
            assertThat(api.as("alice", "operator")
                            .post("/api/v1/jobs/" + rehearsal + "/start", null)
                            .status())
                    .isEqualTo(200);

            // While the rehearsal runs, nothing is expected yet: only a succeeded one counts.
            UUID early = Jobs.create(api, "alice", plan, Map.of("cluster", "fluxion-cluster"));
            Api.Response before = api.get("/api/v1/jobs/" + early);
            assertThat(phase(before.json(), "PREPARE").get("expectedDuration").isNull())
                    .isTrue();
            assertThat(before.json().get("windowWarnings")).isEmpty();
            String etag = before.header("ETag");
            assertThat(api.header("If-None-Match", etag)
                            .get("/api/v1/jobs/" + early)
                            .status())
                    .isEqualTo(304);

            awaitWaiting(api, rehearsal, "announce");
            clock.advance(Duration.ofMinutes(10));
            complete(api, rehearsal, "announce");
            awaitWaiting(api, rehearsal, "switch");
            clock.advance(Duration.ofMinutes(45));
            complete(api, rehearsal, "switch");
            JsonNode rehearsed = awaitState(api, rehearsal, "SUCCEEDED");
            Instant rehearsalEnd = Instant.parse(rehearsed.get("finishedAt").asText());

            UUID production = Jobs.create(api, "alice", plan, Map.of("cluster", "fluxion-cluster"));
            JsonNode job = Jobs.get(api, production);
            assertThat(job.get("rehearsal").asBoolean()).isFalse();
            assertThat(phase(job, "PREPARE").get("expectedDuration").asText()).isEqualTo("PT10M");
            assertThat(phase(job, "CUTOVER").get("expectedDuration").asText()).isEqualTo("PT45M");
            assertThat(phase(job, "CUTOVER").at("/expectedFrom/job").asText()).isEqualTo(rehearsal.toString());
            assertThat(Instant.parse(
                            phase(job, "CUTOVER").at("/expectedFrom/finishedAt").asText()))
                    .isEqualTo(rehearsalEnd);
            assertThat(phase(job, "COPY").get("expectedDuration").isNull())
                    .as("skipped in the rehearsal")
                    .isTrue();
            assertThat(job.get("windowWarnings")).hasSize(1);
            JsonNode warning = job.get("windowWarnings").get(0);
            assertThat(warning.get("phase").asText()).isEqualTo("CUTOVER");
            assertThat(warning.get("expectedDuration").asText()).isEqualTo("PT45M");
            assertThat(warning.get("windowLength").asText()).isEqualTo("PT30M");
            assertThat(warning.get("rehearsalJob").asText()).isEqualTo(rehearsal.toString());
            // Preflight says so too, before the window: a warning, not a reason to refuse the start.
            Api.Response preflight =
                    api.as("alice", "operator").post("/api/v1/jobs/" + production + "/preflight", null);
            assertThat(preflight.status()).as(preflight.toString()).isEqualTo(200);
            assertThat(preflight.json().get("findings")).anySatisfy(finding -> {
                assertThat(finding.get("check").asText()).isEqualTo("rehearsal");
                assertThat(finding.get("severity").asText()).isEqualTo("WARNING");
                assertThat(finding.get("reason").asText()).contains("PT45M").contains("PT30M");
            });
            // The job created earlier, itself unchanged, shows them too: its ETag moved with the rehearsal's end.
            Api.Response after = api.header("If-None-Match", etag).get("/api/v1/jobs/" + early);
            assertThat(after.status()).isEqualTo(200);
            assertThat(phase(after.json(), "PREPARE").get("expectedDuration").asText())
                    .isEqualTo("PT10M");

            JsonNode preview = api.post(
                            "/api/v1/plans/" + plan + "/preview",
                            Map.of("parameters", Map.of("cluster", "fluxion-cluster")))
                    .json();
            JsonNode cutover = preview.get("phases").get(4);
            assertThat(cutover.get("phase").asText()).isEqualTo("CUTOVER");
            assertThat(cutover.get("steps").get(0).get("id").asText()).isEqualTo("switch");
            assertThat(cutover.get("expectedDuration").asText()).isEqualTo("PT45M");
            assertThat(preview.at("/windowWarnings/0/phase").asText()).isEqualTo("CUTOVER");

            JsonNode list = api.get("/api/v1/jobs?plan=" + plan).json().get("items");
            assertThat(list).hasSize(3);
            list.forEach(line -> assertThat(line.get("rehearsal").asBoolean())
                    .isEqualTo(line.get("id").asText().equals(rehearsal.toString())));
            JsonNode board =
                    api.get("/api/v1/jobs?view=summary&plan=" + plan).json().get("items");
            board.forEach(line -> assertThat(line.get("rehearsal").asBoolean())
                    .isEqualTo(line.get("id").asText().equals(rehearsal.toString())));

            JsonNode first = api.get("/api/v1/jobs/" + rehearsal + "/events?after=0")
                    .json()
                    .get("items")
                    .get(0);
            assertThat(first.get("type").asText()).isEqualTo("JOB_CREATED");
            assertThat(first.get("reason").asText()).startsWith("REHEARSAL");
            assertThat(first.at("/detail/rehearsal").asBoolean()).isTrue();
        }
    }

    private static void complete(Api api, UUID job, String step) {
        Api.Response done = api.as("oscar", "operator")
                .post("/api/v1/jobs/" + job + "/steps/" + step + "/complete", Map.of("note", "done in staging"));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
    }

    private static void awaitWaiting(Api api, UUID id, String stepId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Jobs.step(Jobs.get(api, id), stepId)
                .path("message")
                .asText()
                .startsWith("waiting for a person"));
    }
}
