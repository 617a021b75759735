package dev.ferry.notify;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Notifications to a job's own targets, through real HTTP to a receiver on 127.0.0.1. */
class NotificationDeliveryIT extends FerryIT {

    static final String SECRET = "s3cret-for-hmac-0123456789";

    /** Stops for one approval before CUTOVER, then finishes. */
    static final String APPROVAL_PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: prepare, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    /** A gate breaks in VERIFY (not retryable): the job pauses; an operator rolls it back. */
    private static final String BREACH_PLAN =
            """
            name: %s
            phases:
              copy:
                steps:
                  - id: copy
                    action: noop
                    compensate: {action: noop, with: {message: discard the copy}}
              verify:
                steps:
                  - id: gate
                    action: fail
                    with: {code: GATE_BREACHED, retryable: false, message: 5xx rate 7 %% over 2 %%}
            """;

    @Test
    void approvalRequestedArrivesSignedWithItsSequenceThenTheJobFinishes() throws Exception {
        Api api = api();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            UUID id = create(api, APPROVAL_PLAN, List.of(webhook(receiver, "/hook")));
            String view = api.get("/api/v1/jobs/" + id).body();
            assertThat(view).doesNotContain(SECRET);
            api.as("alice").post("/api/v1/jobs/" + id + "/start", null);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() == 1);
            WebhookReceiver.Received request = receiver.accepted().get(0);
            assertSigned(request);
            JsonNode event = request.json();
            assertThat(request.header("Content-Type")).startsWith("application/cloudevents+json");
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("type").asText()).isEqualTo("dev.ferry.approval.requested");
            assertThat(event.get("source").asText()).isEqualTo("/ferry/jobs/" + id);
            assertThat(event.get("subject").asText()).isEqualTo("phases/CUTOVER");
            assertThat(event.get("id").asText()).isEqualTo(request.header("X-Ferry-Delivery"));
            assertThat(Instant.parse(event.get("time").asText()))
                    .isBefore(Instant.now().plusSeconds(1));
            JsonNode data = event.get("data");
            assertThat(data.get("jobId").asText()).isEqualTo(id.toString());
            assertThat(data.get("phase").asText()).isEqualTo("CUTOVER");
            assertThat(data.get("state").asText()).isEqualTo("RUNNING");
            assertThat(data.get("detail").get("required").asInt()).isEqualTo(1);
            assertThat(data.get("seq").asLong())
                    .isEqualTo(seqOf(api, id, "PHASE_AWAITING_APPROVAL"))
                    .isEqualTo(event.get("ferryseq").asLong());

            // Recorded while the job runs: in its timeline.
            await().atMost(Duration.ofSeconds(60)).until(() -> types(api, id).contains("NOTIFICATION_SENT"));
            api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            awaitState(api, id, "SUCCEEDED");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() == 2);
            JsonNode finished = receiver.accepted().get(1).json();
            assertThat(finished.get("type").asText()).isEqualTo("dev.ferry.job.finished");
            assertThat(finished.get("data").get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(finished.get("data").get("seq").asLong())
                    .isGreaterThan(data.get("seq").asLong());
            // job.finished went out after the end: the outbox records it, the closed timeline does not.
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/jobs/" + id + "/notifications")
                    .json()
                    .get("deliveries")
                    .findValuesAsText("status")
                    .equals(List.of("SENT", "SENT")));
            assertThat(types(api, id).stream().filter("NOTIFICATION_SENT"::equals))
                    .hasSize(1);
            Api.Response status = api.get("/api/v1/jobs/" + id + "/notifications");
            assertThat(status.body()).doesNotContain(SECRET).doesNotContain("/hook");
            assertThat(status.json().get("targets").get(0).get("key").asText()).isEqualTo("job:0");
            assertThat(status.json().get("targets").get(0).get("destination").asText())
                    .isEqualTo(receiver.url(""));
            assertThat(status.json().get("deliveries"))
                    .extracting(
                            d -> d.get("kind").asText() + "/" + d.get("status").asText())
                    .containsExactly("approval.requested/SENT", "job.finished/SENT");
        }
    }

    @Test
    void aReceiverFailingTwiceGetsTheEventOnTheThirdAttemptAndTheTimelineShowsEachAttempt() {
        Api api = api();
        try (WebhookReceiver receiver = WebhookReceiver.failingFirst(2)) {
            UUID id = create(
                    api,
                    APPROVAL_PLAN,
                    List.of(Map.of(
                            "type",
                            "webhook",
                            "url",
                            receiver.url("/flaky"),
                            "secret",
                            SECRET,
                            "events",
                            List.of("approval.requested"))));
            api.as("alice").post("/api/v1/jobs/" + id + "/start", null);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() == 1);
            List<WebhookReceiver.Received> all = receiver.received();
            assertThat(all).hasSize(3);
            assertThat(all)
                    .extracting(r -> r.json().get("id").asText())
                    .containsOnly(all.get(0).json().get("id").asText());
            assertThat(all).extracting(r -> r.header("X-Ferry-Attempt")).containsExactly("1", "2", "3");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(notificationEvents(api, id))
                    .extracting(e -> e.get("type").asText() + "#"
                            + e.get("detail").get("attempt").asInt())
                    .containsExactly(
                            "NOTIFICATION_ATTEMPT_FAILED#1", "NOTIFICATION_ATTEMPT_FAILED#2", "NOTIFICATION_SENT#3"));
            JsonNode failure = notificationEvents(api, id).get(0);
            assertThat(failure.get("reason").asText()).isEqualTo("HTTP 500");
            assertThat(failure.get("detail").get("kind").asText()).isEqualTo("approval.requested");
            assertThat(failure.get("detail").get("target").asText()).doesNotContain("/flaky");
        }
    }

    @Test
    void aGateBreachPausesThenARollbackNotifiesInTimelineOrder() {
        Api api = api();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            UUID id = create(api, BREACH_PLAN, List.of(webhook(receiver, "/ops")));
            api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
            awaitState(api, id, "PAUSED");
            api.as("alice").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "gate breached"));
            awaitState(api, id, "ROLLED_BACK");

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() == 4);
            List<JsonNode> events = receiver.accepted().stream()
                    .map(WebhookReceiver.Received::json)
                    .toList();
            assertThat(events)
                    .extracting(e -> e.get("type").asText())
                    .containsExactly(
                            "dev.ferry.gate.breached",
                            "dev.ferry.job.paused",
                            "dev.ferry.rollback.started",
                            "dev.ferry.rollback.finished");
            assertThat(events)
                    .extracting(e -> e.get("data").get("seq").asLong())
                    .isSorted();
            JsonNode paused = events.get(1).get("data");
            assertThat(paused.get("error").asText()).contains("GATE_BREACHED").contains("5xx rate 7 % over 2 %");
            assertThat(paused.get("step").asText()).isEqualTo("gate");
            assertThat(events.get(2).get("data").get("reason").asText()).isEqualTo("gate breached");
            assertThat(events.get(3).get("data").get("state").asText()).isEqualTo("ROLLED_BACK");
        }
    }

    @Test
    void slackGetsAReadableMessageWithoutTheCloudEvent() {
        Api api = api();
        try (WebhookReceiver slack = WebhookReceiver.start()) {
            UUID id = create(
                    api,
                    BREACH_PLAN,
                    List.of(Map.of(
                            "type",
                            "slack",
                            "url",
                            slack.url("/services/T000/B000/XXXXSECRET"),
                            "events",
                            List.of("job.paused"))));
            api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
            await().atMost(Duration.ofSeconds(60)).until(() -> slack.accepted().size() == 1);
            JsonNode message = slack.accepted().get(0).json();
            assertThat(message.get("text").asText()).contains("Job paused").contains("job of ");
            assertThat(message.get("blocks"))
                    .extracting(b -> b.get("type").asText())
                    .containsExactly("header", "section", "context");
            assertThat(message.get("blocks").get(1).get("text").get("text").asText())
                    .contains("*Phase:* VERIFY")
                    .contains("*Step:* gate")
                    .contains("GATE_BREACHED");
            assertThat(message.get("blocks")
                            .get(2)
                            .get("elements")
                            .get(0)
                            .get("text")
                            .asText())
                    .contains(id.toString());
            assertThat(message.has("specversion")).isFalse();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !notificationEvents(api, id).isEmpty());
            assertThat(api.get("/api/v1/jobs/" + id + "/events?limit=1000").body())
                    .doesNotContain("XXXXSECRET");
            assertThat(api.get("/api/v1/jobs/" + id).body()).doesNotContain("XXXXSECRET");
        }
    }

    @Test
    void invalidTargetsAreRefusedBeforeAnyJobExistsWithoutEchoingSecrets() {
        Api.Response response = api().as("alice")
                .post(
                        "/api/v1/jobs",
                        Map.of(
                                "plan",
                                "rehearsal",
                                "name",
                                "bad",
                                "notifications",
                                List.of(
                                        Map.of(
                                                "type",
                                                "webhook",
                                                "url",
                                                "ftp://example.com/x?token=abc",
                                                "secret",
                                                "short"),
                                        Map.of("type", "pager"),
                                        Map.of("type", "sns", "topicArn", "nope"),
                                        Map.of(
                                                "type",
                                                "slack",
                                                "url",
                                                "https://hooks.slack.com/x",
                                                "events",
                                                List.of("job.exploded")))));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("type").asText()).endsWith("/invalid-notification-target");
        assertThat(response.json().get("errors")).hasSize(5);
        assertThat(response.body()).doesNotContain("token=abc").doesNotContain("short");
        Api.Response unknownField = api().as("alice")
                .post(
                        "/api/v1/jobs",
                        Map.of(
                                "plan",
                                "rehearsal",
                                "name",
                                "bad",
                                "notifications",
                                List.of(Map.of("type", "slack", "url", "https://x.example", "colour", "red"))));
        assertThat(unknownField.status()).isEqualTo(400);
    }

    static Map<String, Object> webhook(WebhookReceiver receiver, String path) {
        return Map.of("type", "webhook", "url", receiver.url(path), "secret", SECRET);
    }

    private UUID create(Api api, String plan, List<Map<String, Object>> notifications) {
        String name = Jobs.registerPlan(api, "notify", plan);
        Api.Response response = api.as("alice")
                .post("/api/v1/jobs", Map.of("plan", name, "name", "job of " + name, "notifications", notifications));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.json().get("id").asText());
    }

    /** Checks the signature the way the README tells receivers to. */
    static void assertSigned(WebhookReceiver.Received request) throws Exception {
        String timestamp = request.header("X-Ferry-Timestamp");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)))
                .isLessThan(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(request.header("X-Ferry-Signature"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
    }

    static long seqOf(Api api, UUID id, String type) {
        for (JsonNode event :
                api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items")) {
            if (event.get("type").asText().equals(type)) {
                return event.get("seq").asLong();
            }
        }
        throw new AssertionError("no " + type);
    }

    static List<String> types(Api api, UUID id) {
        List<String> types = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000")
                .json()
                .get("items")
                .forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    static List<JsonNode> notificationEvents(Api api, UUID id) {
        List<JsonNode> events = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items").forEach(e -> {
            if (e.get("type").asText().startsWith("NOTIFICATION_")) {
                events.add(e);
            }
        });
        return events;
    }
}
