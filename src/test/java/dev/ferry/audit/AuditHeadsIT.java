package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue #17, item 5, as an attacker and an auditor see it over HTTP: a job's head recorded at its
 * end, signed by Ferry, stays its head whatever is asked of the job afterwards and whatever its
 * notifications do; and the database refuses to extend a closed chain on its own.
 */
class AuditHeadsIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop, compensate: {action: noop}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: two, action: noop}
            """;

    @Autowired
    DataSource dataSource;

    @Test
    void aHeadSignedAtTheEndStillMatchesAfterRefusedCommandsAndNotificationDeliveries() throws Exception {
        Api api = api();
        Api alice = api.as("alice");
        AtomicInteger delivered = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            delivered.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String plan = Jobs.registerPlan(api, "heads", PLAN);
            Api.Response created = alice.post(
                    "/api/v1/jobs",
                    Map.of(
                            "plan",
                            plan,
                            "name",
                            "anchored",
                            "notifications",
                            List.of(Map.of(
                                    "type",
                                    "webhook",
                                    "url",
                                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                                    "secret",
                                    "s3cret-for-hmac-0123456789",
                                    "events",
                                    List.of("job.finished")))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            UUID id = UUID.fromString(created.json().get("id").asText());
            alice.post("/api/v1/jobs/" + id + "/start", null);
            Jobs.awaitState(api, id, "AWAITING_APPROVAL");
            api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            Jobs.awaitState(api, id, "SUCCEEDED");

            PublicKey key = publicKey(api);
            JsonNode atEnd = headOf(api, key, id);
            assertThat(atEnd.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(atEnd.get("closed").asBoolean()).isTrue();

            Api.Response preflight = alice.post("/api/v1/jobs/" + id + "/preflight", null);
            assertThat(preflight.status()).as(preflight.toString()).isEqualTo(409);
            assertThat(preflight.header("Content-Type")).startsWith("application/problem+json");
            assertThat(preflight.json().get("type").asText()).endsWith("/job-history-closed");
            assertThat(preflight.json().get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(preflight.body()).doesNotContain("Exception");
            for (String command : List.of("start", "pause", "resume", "retry", "cancel", "rollback")) {
                Api.Response refused = alice.post("/api/v1/jobs/" + id + "/" + command, Map.of("reason", "after"));
                assertThat(refused.status()).as(command + ": " + refused).isEqualTo(409);
            }
            Api.Response reschedule = alice.post(
                    "/api/v1/jobs/" + id + "/phases/cutover/not-before",
                    Map.of("at", Instant.now().toString(), "reason", "after the end"));
            assertThat(reschedule.status()).as(reschedule.toString()).isEqualTo(409);
            Api.Response approve =
                    api.as("carol", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            assertThat(approve.status()).as(approve.toString()).isEqualTo(409);

            // job.finished is delivered after the end: recorded in the outbox, not in the closed chain.
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/jobs/" + id + "/notifications")
                    .json()
                    .get("deliveries")
                    .findValuesAsText("status")
                    .equals(List.of("SENT")));
            assertThat(delivered.get()).isEqualTo(1);

            JsonNode later = headOf(api, key, id);
            assertThat(later.get("headSeq")).isEqualTo(atEnd.get("headSeq"));
            assertThat(later.get("headHash")).isEqualTo(atEnd.get("headHash"));
            JsonNode audit = api.get("/api/v1/jobs/" + id + "/audit").json();
            assertThat(audit.get("verification").get("valid").asBoolean()).isTrue();
            assertThat(audit.get("headHash").asText())
                    .isEqualTo(atEnd.get("headHash").asText());
            JsonNode events = audit.get("events");
            assertThat(events.get(events.size() - 1).get("seq").asLong())
                    .isEqualTo(atEnd.get("headSeq").asLong());
            List<String> types = events.findValuesAsText("type");
            assertThat(types).noneMatch(type -> type.startsWith("NOTIFICATION_"));
            // The start's own preflight, none after the end.
            assertThat(types.stream().filter("PREFLIGHT_COMPLETED"::equals)).hasSize(1);
            assertThat(types.get(types.size() - 1)).isIn("JOB_SUCCEEDED", "RESOURCES_RELEASED");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aRepeatedRollbackOfARolledBackJobIsADuplicateThatMovesNoHead() throws Exception {
        Api api = api();
        Api alice = api.as("alice");
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "heads", PLAN), Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        assertThat(alice.post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "first"))
                        .status())
                .isEqualTo(200);
        Jobs.awaitState(api, id, "ROLLED_BACK");
        PublicKey key = publicKey(api);
        JsonNode atEnd = headOf(api, key, id);

        Api.Response again = api.as("alertmanager").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "again"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        JsonNode later = headOf(api, key, id);
        assertThat(later.get("headSeq")).isEqualTo(atEnd.get("headSeq"));
        assertThat(later.get("headHash")).isEqualTo(atEnd.get("headHash"));
        assertThat(later.get("state").asText()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void signedHeadsVerifyWithThePublishedKeyAndNotAfterOneByteIsChanged() throws Exception {
        Api api = api();
        UUID open = Jobs.create(api, "alice", Jobs.registerPlan(api, "heads", PLAN), Map.of());
        PublicKey key = publicKey(api);

        Api.Response response = api.get("/api/v1/audit/heads?limit=1000");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        byte[] signature = signature(response);
        assertThat(HeadSigningTest.verify(key, body, signature)).isTrue();
        assertThat(response.header("X-Ferry-Signature-Key"))
                .isEqualTo(response.json().get("keyId").asText());
        for (int i = 0; i < body.length; i += Math.max(1, body.length / 7)) {
            byte[] tampered = body.clone();
            tampered[i] ^= 1;
            assertThat(HeadSigningTest.verify(key, tampered, signature))
                    .as("byte %d changed", i)
                    .isFalse();
        }
        byte[] forged = signature.clone();
        forged[5] ^= 1;
        assertThat(HeadSigningTest.verify(key, body, forged)).isFalse();

        // closed=true leaves the job that is still open out; a page names the next one.
        assertThat(allHeads(api, key, "closed=true&limit=2"))
                .noneMatch(h -> h.get("jobId").asText().equals(open.toString()));
        JsonNode mine = allHeads(api, key, "limit=2").stream()
                .filter(h -> h.get("jobId").asText().equals(open.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(mine.get("closed").asBoolean()).isFalse();
        assertThat(mine.get("state").asText()).isEqualTo("CREATED");
        assertThat(mine.get("headSeq").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/audit/heads?since=2999-01-01T00:00:00Z")
                        .json()
                        .get("heads"))
                .isEmpty();
        Api.Response bad = api.get("/api/v1/audit/heads?limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.as("alertmanager", "alerter").get("/api/v1/audit/heads").status())
                .isEqualTo(403);
    }

    @Test
    void theDatabaseRefusesToExtendOrReopenAClosedChain() throws SQLException {
        Api api = api();
        UUID id = Jobs.start(
                api,
                "alice",
                Jobs.registerPlan(
                        api, "heads", "name: %s\nphases:\n  prepare:\n    steps:\n      - {id: a, action: noop}\n"),
                Map.of());
        Jobs.awaitState(api, id, "SUCCEEDED");
        long head = jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, id);
        String append = "INSERT INTO job_event (job_id, seq, at, actor, type) VALUES ('" + id + "', " + (head + 1)
                + ", now(), 'mallory', 'NOTIFICATION_SENT')";
        String job = " WHERE id = '" + id + "'";
        for (List<String> attack : List.of(
                List.of(append),
                List.of("UPDATE migration_job SET state = 'RUNNING'" + job),
                // Pretending this transaction closed the job, then appending.
                List.of("UPDATE migration_job SET closed_in = pg_current_xact_id()" + job, append),
                List.of("UPDATE migration_job SET updated_at = now()" + job, append))) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    assertThatThrownBy(() -> {
                                for (String sql : attack) {
                                    statement.execute(sql);
                                }
                            })
                            .as(attack.toString())
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("has ended")
                            .satisfies(e ->
                                    assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                } finally {
                    connection.rollback();
                }
            }
        }
        assertThat(jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, id))
                .isEqualTo(head);
        assertThat(jdbc.queryForObject("SELECT state FROM migration_job WHERE id = ?", String.class, id))
                .isEqualTo("SUCCEEDED");
    }

    private static PublicKey publicKey(Api api) throws Exception {
        Api.Response response = api.get("/api/v1/audit/heads/key");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        return HeadSigningTest.fromPem(response.body());
    }

    /** The job's entry in the signed heads of ended jobs, after checking the signature. */
    private static JsonNode headOf(Api api, PublicKey key, UUID id) throws Exception {
        return allHeads(api, key, "closed=true&limit=1000").stream()
                .filter(h -> h.get("jobId").asText().equals(id.toString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no head for job " + id));
    }

    /** Every page, each one's signature checked. */
    private static List<JsonNode> allHeads(Api api, PublicKey key, String query) throws Exception {
        List<JsonNode> heads = new ArrayList<>();
        String after = "";
        while (true) {
            Api.Response page = api.get("/api/v1/audit/heads?" + query + after);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(HeadSigningTest.verify(key, page.body().getBytes(StandardCharsets.UTF_8), signature(page)))
                    .isTrue();
            page.json().get("heads").forEach(heads::add);
            JsonNode next = page.json().get("next");
            if (next == null || next.isNull()) {
                return heads;
            }
            after = "&after=" + next.asText();
        }
    }

    private static byte[] signature(Api.Response response) {
        String header = response.header("X-Ferry-Signature");
        assertThat(header).startsWith("ed25519=");
        return Base64.getDecoder().decode(header.substring("ed25519=".length()));
    }
}
