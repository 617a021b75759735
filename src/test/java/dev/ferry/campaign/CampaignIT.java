package dev.ferry.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.Actor;
import dev.ferry.job.JobManagement;
import dev.ferry.job.NewJob;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Campaigns over real HTTP and PostgreSQL: waves in order with their concurrency and approvals,
 * the failure threshold, campaign rollback, and a driver that stops and starts mid-wave.
 */
class CampaignIT extends FerryIT {

    private static final String OPERATOR = "camp-alice";
    private static final String BOB = "camp-bob";
    private static final String CAROL = "camp-carol";

    /** Fast jobs: a compensable freeze, a copy that fails {@code failTimes} attempts, a short wait. */
    private static final String FAST =
            """
            name: %s
            parameters:
              - {name: failTimes, type: integer, default: 0}
              - {name: hold, type: duration, default: PT0.2S}
            phases:
              freeze:
                steps:
                  - {id: freeze, action: noop, compensate: {action: noop}}
              copy:
                steps:
                  - id: copy
                    action: fail
                    with: {times: "${params.failTimes}", retryable: false}
                    retry: {maxAttempts: 1}
                  - {id: hold, action: wait, with: {duration: "${params.hold}"}}
            """;

    /** Like FAST, with an approval before CUTOVER and an irreversible CLEANUP: the point of no return. */
    private static final String GATED =
            """
            name: %s
            parameters:
              - {name: failTimes, type: integer, default: 0}
            phases:
              freeze:
                steps:
                  - {id: freeze, action: noop, compensate: {action: noop}}
              copy:
                steps:
                  - id: copy
                    action: fail
                    with: {times: "${params.failTimes}", retryable: false}
                    retry: {maxAttempts: 1}
              cutover:
                approval: {required: 1, roles: [approver]}
                steps:
                  - {id: switch, action: noop, compensate: {action: noop}}
              cleanup:
                steps:
                  - {id: delete-old, action: noop, irreversible: true}
            """;

    /** A real fleet: each target's traffic split, an SSM parameter in the emulator, 10 then 100. */
    private static final String SPLIT =
            """
            name: %s
            parameters:
              - {name: splitParameter, type: string, required: true}
            phases:
              cutover:
                steps:
                  - id: split-10
                    action: aws.ssm.putParameter
                    with: {name: "${params.splitParameter}", value: "10", type: String}
                  - id: split-100
                    action: aws.ssm.putParameter
                    with: {name: "${params.splitParameter}", value: "100", type: String}
            """;

    @Autowired
    private CampaignDriver driver;

    @Autowired
    private JobManagement jobManagement;

    private Api operator() {
        return api().as(OPERATOR, "operator");
    }

    private Api approver(String name) {
        return api().as(name, "approver");
    }

    @Test
    void aRehearsalFleetOfTwelveRunsInThreeWavesWithAWaveApproval() {
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String tier = i <= 2 ? "canary" : i <= 6 ? "web" : "batch";
            targets.add(Map.of(
                    "name", "svc-" + i,
                    "labels", Map.of("tier", tier),
                    "parameters",
                            Map.of("healthUrl", "http://127.0.0.1:" + port + "/actuator/health", "settle", "PT0.1S")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "rehearse the fleet");
        body.put("plan", "rehearsal");
        body.put("targets", targets);
        body.put(
                "waves",
                List.of(
                        Map.of("name", "canary", "targets", List.of("svc-1", "svc-2"), "maxConcurrent", 2),
                        Map.of(
                                "name",
                                "web",
                                "selector",
                                Map.of("tier", "web"),
                                "maxConcurrent",
                                2,
                                "approval",
                                Map.of("required", 1, "roles", List.of("approver"))),
                        Map.of("name", "batch", "selector", Map.of("tier", "batch"), "maxConcurrent", 2)));
        Api.Response created = operator().header("Idempotency-Key", "fleet-1").post("/api/v1/campaigns", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        // The same key and body answer with the same campaign; another body under the key is refused.
        Api.Response replay = operator().header("Idempotency-Key", "fleet-1").post("/api/v1/campaigns", body);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("id").asText()).isEqualTo(id);
        body.put("name", "another");
        Api.Response reused = operator().header("Idempotency-Key", "fleet-1").post("/api/v1/campaigns", body);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("type").asText()).endsWith("/idempotency-key-reused");

        Instant[] waveApprovedAt = new Instant[1];
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode c = campaign(id);
                    assertConcurrencyAndOrder(c, 2);
                    if (c.get("state").asText().equals("AWAITING_APPROVAL")) {
                        assertThat(c.get("currentWave").asInt()).isEqualTo(2);
                        assertThat(c.get("blockedBy").asText()).contains("wave 2 awaits approval");
                        // Wave 1 is done and nothing of wave 2 started before its approval.
                        assertThat(wave(c, 2).get("counts").get("PENDING").asInt())
                                .isEqualTo(4);
                        // Four eyes: the campaign's creator cannot approve its wave, even with the role.
                        Api.Response own = api().as(OPERATOR, "approver")
                                .post("/api/v1/campaigns/" + id + "/waves/2/approve", null);
                        assertThat(own.status()).isEqualTo(403);
                        assertThat(own.json().get("type").asText()).endsWith("/separation-of-duties");
                        Api.Response approved = approver(BOB)
                                .post(
                                        "/api/v1/campaigns/" + id + "/waves/2/approve",
                                        Map.of("comment", "canary healthy"));
                        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
                        waveApprovedAt[0] = Instant.now();
                    }
                    approveWaiting(id, c);
                    return c.get("state").asText().equals("SUCCEEDED");
                });

        JsonNode done = campaign(id);
        assertThat(done.get("counts").get("SUCCEEDED").asInt()).isEqualTo(12);
        assertThat(done.get("blockedBy").isNull()).isTrue();
        assertThat(done.get("allowedActions")).isEmpty();
        for (int w = 1; w <= 3; w++) {
            assertThat(wave(done, w).get("state").asText()).isEqualTo("DONE");
        }
        assertThat(wave(done, 1).get("jobs")).hasSize(2);
        assertThat(wave(done, 2).get("jobs")).hasSize(4);
        assertThat(wave(done, 3).get("jobs")).hasSize(6);

        // Each job's timeline records the fleet approval with the campaign and its wave.
        String someJob = wave(done, 3).get("jobs").get(0).get("job").asText();
        JsonNode events = api().get("/api/v1/jobs/" + someJob + "/events?after=0&limit=1000")
                .json()
                .get("items");
        List<String> approvals = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("type").asText().equals("APPROVAL_RECORDED")) {
                approvals.add(e.get("actor").asText() + ": " + e.get("reason").asText());
            }
        });
        assertThat(approvals).anyMatch(a -> a.startsWith(BOB + ": campaign rehearse the fleet (" + id + ") wave 3"));
        assertThat(approvals).anyMatch(a -> a.startsWith(CAROL + ": campaign rehearse the fleet (" + id + ") wave 3"));

        // The campaign's own timeline, and a 304 for an unchanged view.
        List<String> types = new ArrayList<>();
        api().get("/api/v1/campaigns/" + id + "/events?after=0&limit=1000")
                .json()
                .get("items")
                .forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).startsWith("CAMPAIGN_CREATED").endsWith("CAMPAIGN_SUCCEEDED");
        assertThat(types.stream().filter("JOB_LAUNCHED"::equals)).hasSize(12);
        assertThat(types).contains("WAVE_AWAITING_APPROVAL", "WAVE_APPROVED", "FLEET_APPROVAL");
        // The same timeline as Server-Sent Events, from the start and again after a reconnect.
        String stream = "/api/v1/campaigns/" + id + "/events/stream";
        try (SseClient sse = SseClient.open(api(), stream, null)) {
            assertThat(sse.contentType()).startsWith("text/event-stream");
            List<SseClient.Event> streamed =
                    sse.until(e -> "CAMPAIGN_SUCCEEDED".equals(e.event()), Duration.ofSeconds(30));
            assertThat(streamed.stream().map(SseClient.Event::event).toList()).isEqualTo(types);
            assertThat(streamed.get(2).id()).isEqualTo("3");
        }
        try (SseClient sse = SseClient.open(api(), stream, "3")) {
            assertThat(sse.until(e -> e.event() != null, Duration.ofSeconds(30)))
                    .singleElement()
                    .satisfies(e -> assertThat(e.id()).isEqualTo("4"));
        }
        Api.Response badPosition = api().header("Last-Event-ID", "x").get(stream);
        assertThat(badPosition.status()).isEqualTo(400);
        assertThat(badPosition.header("Content-Type")).startsWith("application/problem+json");

        Api.Response view = api().get("/api/v1/campaigns/" + id);
        assertThat(api().header("If-None-Match", view.header("ETag"))
                        .get("/api/v1/campaigns/" + id)
                        .status())
                .isEqualTo(304);
        assertThat(api().get("/api/v1/campaigns?limit=500").body()).contains(id);

        Instant firstStep = Instant.parse(wave(done, 2).get("firstStepAt").asText());
        Instant approvedAt = Instant.parse(wave(done, 2).get("approvedAt").asText());
        System.out.printf(
                "[campaign] 12 jobs in 3 waves: %s from creation to SUCCEEDED; wave 2 approval to its first step: %d ms%n",
                Duration.between(
                        Instant.parse(done.get("createdAt").asText()),
                        Instant.parse(done.get("finishedAt").asText())),
                Duration.between(approvedAt, firstStep).toMillis());
        assertThat(firstStep).isAfter(approvedAt);
    }

    @Test
    void aFailureThresholdInWaveTwoStopsTheCampaignAndStartsNothingOfWaveThree() {
        String plan = Jobs.registerPlan(api(), "campaign-fast", FAST);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (String name : List.of("a1", "b1", "b2", "b3", "b4", "c1", "c2")) {
            int failTimes = name.equals("b1") || name.equals("b2") ? 99 : 0;
            targets.add(Map.of("name", name, "parameters", Map.of("failTimes", failTimes)));
        }
        String id = create(Map.of(
                "name",
                "threshold",
                "plan",
                plan,
                "targets",
                targets,
                "waves",
                List.of(
                        Map.of("targets", List.of("a1")),
                        Map.of("targets", List.of("b1", "b2", "b3", "b4"), "maxConcurrent", 2),
                        Map.of("targets", List.of("c1", "c2"), "maxConcurrent", 2)),
                "failurePolicy",
                Map.of("maxPercent", 50)));
        assertThat(id).isNull(); // unknown field: refused
        id = create(Map.of(
                "name",
                "threshold",
                "plan",
                plan,
                "targets",
                targets,
                "waves",
                List.of(
                        Map.of("targets", List.of("a1"), "soak", "PT1S"),
                        Map.of("targets", List.of("b1", "b2", "b3", "b4"), "maxConcurrent", 2),
                        Map.of("targets", List.of("c1", "c2"), "maxConcurrent", 2)),
                "failurePolicy",
                Map.of("maxFailurePercent", 50, "rollbackWave", true)));
        String campaign = id;
        await().until(() -> campaign(campaign).get("state").asText().equals("HALTED"));
        JsonNode halted = await().until(
                        () -> campaign(campaign),
                        c -> wave(c, 2).get("counts").path("ROLLED_BACK").asInt() == 2);
        assertThat(halted.get("stoppedReason").asText()).contains("2 of 4 job(s) of wave 2");
        // Wave 2 began only after wave 1's soak.
        assertThat(Instant.parse(wave(halted, 2).get("startedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(wave(halted, 1).get("soakUntil").asText()));
        assertThat(wave(halted, 2).get("counts").get("PENDING").asInt()).isEqualTo(2);
        assertThat(wave(halted, 3).get("counts").get("PENDING").asInt()).isEqualTo(2);
        wave(halted, 3).get("jobs").forEach(j -> assertThat(j.get("job").isNull())
                .isTrue());
        assertThat(halted.get("allowedActions").toString()).contains("resume", "cancel", "rollback");

        // Resuming accepts the two failures: the rest of wave 2 runs, then wave 3.
        assertThat(operator()
                        .post("/api/v1/campaigns/" + campaign + "/resume", Map.of("reason", "known flake"))
                        .status())
                .isEqualTo(200);
        JsonNode finished = await().until(
                        () -> campaign(campaign), c -> c.get("state").asText().equals("SUCCEEDED"));
        assertThat(finished.get("counts").get("SUCCEEDED").asInt()).isEqualTo(5);
        assertThat(wave(finished, 2).get("acceptedFailures").asInt()).isEqualTo(2);
        Api.Response again = operator().post("/api/v1/campaigns/" + campaign + "/resume", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).endsWith("/campaign-command-not-allowed");
    }

    @Test
    void rollbackUndoesWhatItCanNewestWaveFirstAndReportsTheJobsPastTheirPointOfNoReturn() {
        String plan = Jobs.registerPlan(api(), "campaign-gated", GATED);
        String id = create(Map.of(
                "name",
                "to be undone",
                "plan",
                plan,
                "targetsCsv",
                "name,label.ring\nr1,one\nr2,two\nr3,two\nr4,three\n",
                "waves",
                List.of(
                        Map.of("selector", Map.of("ring", "one")),
                        Map.of("selector", Map.of("ring", "two"), "maxConcurrent", 2),
                        Map.of("selector", Map.of("ring", "three")))));
        // Wave 1's job goes past its point of no return (CLEANUP is irreversible) and succeeds.
        await().until(() -> approvePhase(id, 1, "cutover", BOB).path("approved").size() == 1);
        await().until(
                        () -> campaign(id),
                        c -> wave(c, 2).get("counts").path("AWAITING_APPROVAL").asInt() == 2);
        // Wave 2's two jobs wait for CUTOVER: a fleet approval by the campaign's creator is refused on four-eyes.
        Api.Response own = api().as(OPERATOR, "approver")
                .post("/api/v1/campaigns/" + id + "/waves/2/phases/cutover/approve", null);
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json().get("type").asText()).endsWith("/separation-of-duties");

        Api.Response rolledBack =
                operator().post("/api/v1/campaigns/" + id + "/rollback", Map.of("reason", "error budget"));
        assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
        JsonNode report = rolledBack.json().get("report");
        assertThat(report.get("rolledBack")).hasSize(2);
        assertThat(report.get("rolledBack").get(0).get("target").asText()).isEqualTo("r3");
        assertThat(report.get("pastPointOfNoReturn")).hasSize(1);
        assertThat(report.get("pastPointOfNoReturn").get(0).get("target").asText())
                .isEqualTo("r1");
        assertThat(report.get("notLaunched").asInt()).isEqualTo(1);
        JsonNode done =
                await().until(() -> campaign(id), c -> c.get("state").asText().equals("ROLLED_BACK"));
        assertThat(wave(done, 1).get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(wave(done, 2).get("counts").get("ROLLED_BACK").asInt()).isEqualTo(2);
        assertThat(wave(done, 3).get("counts").get("PENDING").asInt()).isEqualTo(1);
    }

    @Test
    void aDriverThatStopsMidWaveAndStartsAgainChangesNothing() {
        String plan = Jobs.registerPlan(api(), "campaign-restart", FAST);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            targets.add(Map.of("name", "t" + i, "parameters", Map.of("hold", "PT1S")));
        }
        String id = create(Map.of(
                "name",
                "restarted",
                "plan",
                plan,
                "targets",
                targets,
                "waves",
                List.of(Map.of("targets", List.of("t1", "t2", "t3", "t4"), "maxConcurrent", 2))));
        await().until(
                        () -> campaign(id),
                        c -> wave(c, 1).get("counts").path("PENDING").asInt() == 2);
        driver.stop();
        try {
            // A replica died after creating t3's job and before linking it: the same job must be found again.
            JsonNode c = campaign(id);
            UUID orphan = jobManagement
                    .create(
                            new NewJob(
                                    plan,
                                    1,
                                    "restarted / t3",
                                    new ObjectMapper().valueToTree(Map.of("hold", "PT1S", "failTimes", 0))),
                            new Actor(OPERATOR, Set.of()),
                            "ferry-campaign:" + id + ":2")
                    .id();
            await().until(() ->
                    wave(campaign(id), 1).get("counts").path("SUCCEEDED").asInt() == 2);
            assertThat(wave(campaign(id), 1).get("counts").path("PENDING").asInt())
                    .isEqualTo(2);
            assertThat(c.get("state").asText()).isEqualTo("RUNNING");
            driver.start();
            JsonNode done = await().until(
                            () -> campaign(id), v -> v.get("state").asText().equals("SUCCEEDED"));
            assertThat(done.get("counts").get("SUCCEEDED").asInt()).isEqualTo(4);
            assertThat(wave(done, 1).get("jobs").get(2).get("job").asText()).isEqualTo(orphan.toString());
            long launched = 0;
            for (JsonNode e : api().get("/api/v1/campaigns/" + id + "/events?after=0")
                    .json()
                    .get("items")) {
                launched += e.get("type").asText().equals("JOB_LAUNCHED") ? 1 : 0;
            }
            assertThat(launched).isEqualTo(4);
        } finally {
            driver.start();
        }
    }

    @Test
    void aSmallFleetShiftsTrafficInTheEmulatorWaveByWave() {
        SsmClient ssm = AwsEmulator.client(SsmClient.builder());
        String prefix = "/ferry-campaign-it/" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("name,label.region,splitParameter\n");
        for (String region : List.of("eu-west-1", "us-east-1", "us-west-2", "ap-south-1")) {
            String parameter = prefix + "/" + region + "/traffic-split";
            ssm.putParameter(r -> r.name(parameter).value("0").type(ParameterType.STRING));
            csv.append(region)
                    .append(',')
                    .append(region.equals("eu-west-1") ? "canary" : "rest")
                    .append(',')
                    .append(parameter)
                    .append('\n');
        }
        String plan = Jobs.registerPlan(api(), "campaign-split", SPLIT);
        String id = create(Map.of(
                "name",
                "traffic split everywhere",
                "plan",
                plan,
                "targetsCsv",
                csv.toString(),
                "waves",
                List.of(
                        Map.of("name", "canary", "selector", Map.of("region", "canary")),
                        Map.of(
                                "name",
                                "rest",
                                "selector",
                                Map.of("region", "rest"),
                                "maxConcurrent",
                                3,
                                "approval",
                                Map.of("required", 1)))));
        await().until(() -> campaign(id).get("state").asText().equals("AWAITING_APPROVAL"));
        assertThat(ssm.getParameter(r -> r.name(prefix + "/eu-west-1/traffic-split"))
                        .parameter()
                        .value())
                .isEqualTo("100");
        assertThat(ssm.getParameter(r -> r.name(prefix + "/us-east-1/traffic-split"))
                        .parameter()
                        .value())
                .isEqualTo("0");
        assertThat(approver(BOB)
                        .post("/api/v1/campaigns/" + id + "/waves/2/approve", null)
                        .status())
                .isEqualTo(200);
        JsonNode done =
                await().until(() -> campaign(id), c -> c.get("state").asText().equals("SUCCEEDED"));
        for (String region : List.of("eu-west-1", "us-east-1", "us-west-2", "ap-south-1")) {
            assertThat(ssm.getParameter(r -> r.name(prefix + "/" + region + "/traffic-split"))
                            .parameter()
                            .value())
                    .as(region)
                    .isEqualTo("100");
        }
        System.out.printf(
                "[campaign] emulator fleet: 4 jobs in 2 waves; wave 2 approval to its first step: %d ms%n",
                Duration.between(
                                Instant.parse(wave(done, 2).get("approvedAt").asText()),
                                Instant.parse(wave(done, 2).get("firstStepAt").asText()))
                        .toMillis());
    }

    @Test
    void invalidCampaignsAreProblems() {
        Api.Response unknownPlan = operator()
                .post(
                        "/api/v1/campaigns",
                        Map.of(
                                "name",
                                "x",
                                "plan",
                                "no-such-plan",
                                "targets",
                                List.of(Map.of("name", "a")),
                                "waves",
                                List.of(Map.of("targets", List.of("a")))));
        assertThat(unknownPlan.status()).isEqualTo(404);
        Api.Response invalid = operator()
                .post(
                        "/api/v1/campaigns",
                        Map.of(
                                "name", "x",
                                "plan", "rehearsal",
                                "targetsCsv", "name,settle\na,soon\nb,PT1S\n",
                                "waves", List.of(Map.of("targets", List.of("a", "zz")))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");
        assertThat(invalid.json().get("type").asText()).endsWith("/campaign-invalid");
        assertThat(invalid.json().get("detail").asText())
                .contains("no target named 'zz'", "(b): no wave names or selects it", "(a).parameters.settle");
        assertThat(api().get("/api/v1/campaigns/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    // --- helpers

    private String create(Map<String, Object> body) {
        Api.Response created = operator().post("/api/v1/campaigns", body);
        if (created.status() == 400) {
            return null;
        }
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private JsonNode campaign(String id) {
        Api.Response response = api().get("/api/v1/campaigns/" + id);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode wave(JsonNode campaign, int wave) {
        return campaign.get("waves").get(wave - 1);
    }

    private JsonNode approvePhase(String id, int wave, String phase, String approver) {
        Api.Response r = approver(approver)
                .post("/api/v1/campaigns/" + id + "/waves/" + wave + "/phases/" + phase + "/approve", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Gives every phase approval the current wave's jobs wait for: two approvers at CUTOVER, one at CLEANUP. */
    private void approveWaiting(String id, JsonNode c) {
        int w = c.get("currentWave").asInt();
        boolean cutover = false;
        boolean cleanup = false;
        for (JsonNode j : wave(c, w).get("jobs")) {
            if (j.get("state").asText().equals("AWAITING_APPROVAL")) {
                cutover |= j.get("currentPhase").asText().equals("CUTOVER");
                cleanup |= j.get("currentPhase").asText().equals("CLEANUP");
            }
        }
        if (cutover) {
            approvePhase(id, w, "cutover", BOB);
            approvePhase(id, w, "cutover", CAROL);
        }
        if (cleanup) {
            approvePhase(id, w, "cleanup", BOB);
        }
    }

    /** No wave runs more jobs than its limit, and no job of a later wave exists while an earlier one has unfinished jobs. */
    private static void assertConcurrencyAndOrder(JsonNode c, int max) {
        boolean earlierUnfinished = false;
        for (JsonNode w : c.get("waves")) {
            long running = 0;
            boolean launched = false;
            boolean unfinished = false;
            for (JsonNode j : w.get("jobs")) {
                String state = j.get("state").asText();
                launched |= !state.equals("PENDING");
                boolean terminal = Set.of("SUCCEEDED", "ROLLED_BACK", "CANCELLED", "FAILED", "LAUNCH_FAILED")
                        .contains(state);
                running += !state.equals("PENDING") && !terminal ? 1 : 0;
                unfinished |= !terminal;
            }
            assertThat(running).as(w.toString()).isLessThanOrEqualTo(max);
            assertThat(launched && earlierUnfinished)
                    .as("a later wave started early: " + c)
                    .isFalse();
            earlierUnfinished |= unfinished;
        }
    }
}
