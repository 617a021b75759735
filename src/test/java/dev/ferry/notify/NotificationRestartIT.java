package dev.ferry.notify;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The outbox survives a restart: notifications written while no replica delivered (or while one
 * died mid-send, holding a claim) go out once the service is back, once each. Also covers global
 * targets from configuration.
 */
class NotificationRestartIT {

    @Test
    void notificationsWrittenBeforeAStopAreDeliveredOnceAfterTheRestart() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String[] global = {
                "ferry.notifications.targets[0].name=ops",
                "ferry.notifications.targets[0].type=webhook",
                "ferry.notifications.targets[0].url=" + receiver.url("/ops?token=not-logged"),
                "ferry.notifications.targets[0].secret=" + NotificationDeliveryIT.SECRET,
                "ferry.notifications.targets[0].events=approval.requested,job.finished",
                "ferry.notifications.job-link=https://ferry.example.com/jobs/{id}"
            };
            UUID id;
            UUID crashed;
            try (Engine engine = Engine.start(database, with(global, "ferry.notifications.delivery.enabled=false"))) {
                String plan = Jobs.registerPlan(engine.api(), "notify-restart", NotificationDeliveryIT.APPROVAL_PLAN);
                claimsNeverOverlap(engine, Jobs.create(engine.api(), "alice", plan, Map.of()));
                id = Jobs.start(engine.api(), "alice", plan, Map.of());
                crashed = Jobs.start(engine.api(), "alice", plan, Map.of());
                awaitState(engine.api(), id, "AWAITING_APPROVAL");
                awaitState(engine.api(), crashed, "AWAITING_APPROVAL");
                assertThat(engine.jdbc()
                                .queryForObject(
                                        "SELECT count(*) FROM notification_outbox WHERE status = 'PENDING'",
                                        Integer.class))
                        .isEqualTo(2);
                // A replica that died while sending: its claim is still there, and has expired.
                engine.jdbc()
                        .update(
                                """
                        UPDATE notification_outbox SET claimed_by = 'dead-replica', claim_token = 1, attempts = 1,
                               claim_expires_at = now() - interval '1 second' WHERE job_id = ?
                        """,
                                crashed);
            }
            assertThat(receiver.received()).isEmpty();

            try (Engine engine = Engine.start(
                            database,
                            with(
                                    global,
                                    "ferry.notifications.delivery.max-attempts=3",
                                    "ferry.notifications.delivery.initial-backoff=PT0.2S",
                                    "ferry.notifications.delivery.fallback-poll=PT5M"));
                    WebhookReceiver down = WebhookReceiver.failingFirst(Integer.MAX_VALUE)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.accepted().size() == 2);
                for (WebhookReceiver.Received request : receiver.accepted()) {
                    NotificationDeliveryIT.assertSigned(request);
                    assertThat(request.json().get("data").get("link").asText())
                            .startsWith("https://ferry.example.com/jobs/");
                }
                assertThat(receiver.accepted())
                        .extracting(r -> r.header("X-Ferry-Attempt"))
                        .containsExactlyInAnyOrder("1", "2");
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> engine.jdbc()
                                        .queryForObject(
                                                "SELECT count(*) FROM notification_outbox WHERE status = 'SENT'",
                                                Integer.class)
                                == 2);
                // Approve one: its job.finished goes out too, and nothing is sent twice.
                engine.api().as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
                awaitState(engine.api(), id, "SUCCEEDED");
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.accepted().size() == 3);
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.received().size() == 3);
                assertThat(receiver.accepted())
                        .extracting(r -> r.json().get("id").asText())
                        .doesNotHaveDuplicates();
                assertThat(engine.api()
                                .get("/api/v1/jobs/" + id + "/events?limit=1000")
                                .body())
                        .doesNotContain("not-logged")
                        .doesNotContain(NotificationDeliveryIT.SECRET);

                givesUpAfterMaxAttempts(engine, down);
                anotherReplicasNotificationWakesThisOne(database);
            }
        }
    }

    /** A receiver that never answers 2xx: three attempts, then FAILED in the outbox and in the timeline. */
    private static void givesUpAfterMaxAttempts(Engine engine, WebhookReceiver down) {
        String plan = Jobs.registerPlan(engine.api(), "notify-down", NotificationDeliveryIT.APPROVAL_PLAN);
        Api.Response created = engine.api()
                .as("alice")
                .post(
                        "/api/v1/jobs",
                        Map.of(
                                "plan",
                                plan,
                                "name",
                                "down",
                                "notifications",
                                List.of(NotificationDeliveryIT.webhook(down, "/down"))));
        UUID job = UUID.fromString(created.json().get("id").asText());
        engine.api().as("alice").post("/api/v1/jobs/" + job + "/start", null);
        awaitState(engine.api(), job, "AWAITING_APPROVAL");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        NotificationDeliveryIT.notificationEvents(engine.api(), job))
                .filteredOn(e -> e.get("detail").get("target").asText().startsWith("job:0"))
                .extracting(e -> e.get("type").asText() + "#"
                        + e.get("detail").get("attempt").asInt())
                .containsExactly(
                        "NOTIFICATION_ATTEMPT_FAILED#1", "NOTIFICATION_ATTEMPT_FAILED#2", "NOTIFICATION_FAILED#3"));
        assertThat(down.received()).hasSize(3);
        assertThat(engine.jdbc()
                        .queryForObject(
                                "SELECT status FROM notification_outbox WHERE job_id = ? AND target = 'job:0'",
                                String.class,
                                job))
                .isEqualTo("FAILED");
    }

    /** A replica that does not deliver writes a row; the delivering one (polling every 5 min) is woken by NOTIFY. */
    private static void anotherReplicasNotificationWakesThisOne(TestDatabase.Coordinates database) {
        try (Engine apiOnly = Engine.start(database, "ferry.notifications.delivery.enabled=false");
                WebhookReceiver receiver = WebhookReceiver.start()) {
            String plan = Jobs.registerPlan(apiOnly.api(), "notify-replica", NotificationDeliveryIT.APPROVAL_PLAN);
            Api.Response created = apiOnly.api()
                    .as("alice")
                    .post(
                            "/api/v1/jobs",
                            Map.of(
                                    "plan",
                                    plan,
                                    "name",
                                    "other",
                                    "notifications",
                                    List.of(NotificationDeliveryIT.webhook(receiver, "/replica"))));
            UUID job = UUID.fromString(created.json().get("id").asText());
            // Cancelled over apiOnly's HTTP API: the row is written by apiOnly's transaction, not a worker's.
            assertThat(apiOnly.api()
                            .as("alice")
                            .post("/api/v1/jobs/" + job + "/cancel", null)
                            .status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() == 1);
            assertThat(receiver.accepted().get(0).json().get("type").asText()).isEqualTo("dev.ferry.job.finished");
        }
    }

    /** Two replicas claiming at once never get the same row, and a row claimed by one is not handed out again. */
    private static void claimsNeverOverlap(Engine engine, UUID job) throws Exception {
        for (int i = 0; i < 40; i++) {
            engine.jdbc()
                    .update(
                            """
                    INSERT INTO notification_outbox (id, job_id, event_seq, kind, target, target_type, status,
                                                     next_attempt_at, payload, created_at)
                    VALUES (gen_random_uuid(), ?, 1, 'job.paused', ?, 'WEBHOOK', 'PENDING', now(), '{}', now())
                    """,
                            job,
                            "claim-test-" + i);
        }
        JdbcDeliveryQueue queue = engine.bean(JdbcDeliveryQueue.class);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<UUID>>> claims = new ArrayList<>();
            for (String owner : List.of("replica-a", "replica-b")) {
                claims.add(replicas.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        queue.claim(owner, 3, Duration.ofHours(1), Instant.now())
                                .forEach(d -> mine.add(d.id()));
                    }
                    return mine;
                }));
            }
            List<UUID> all = new ArrayList<>(claims.get(0).get());
            all.addAll(claims.get(1).get());
            assertThat(all).hasSize(40).doesNotHaveDuplicates();
        } finally {
            replicas.shutdown();
            engine.jdbc().update("DELETE FROM notification_outbox WHERE target LIKE 'claim-test-%'");
        }
    }

    private static String[] with(String[] settings, String... extra) {
        String[] all = Arrays.copyOf(settings, settings.length + extra.length);
        System.arraycopy(extra, 0, all, settings.length, extra.length);
        return all;
    }
}
