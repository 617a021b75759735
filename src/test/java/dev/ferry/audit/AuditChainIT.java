package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.EventTampering;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hash chain end to end: a real job's chain verifies; the application's own connection cannot
 * change or delete events; and every kind of tampering a superuser can still do (with the
 * triggers switched off) is detected at the right event.
 */
class AuditChainIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop, with: {output: {ratio: 1.0, count: 3, name: "é ✓"}}}
              copy:
                steps:
                  - {id: two, action: noop, with: {message: "copy"}}
              cleanup:
                steps:
                  - {id: three, action: noop}
            """;

    @Autowired
    DataSource dataSource;

    @Test
    void aFinishedJobsChainLinksEveryEventAndVerifies() {
        Api api = api();
        UUID id = finishedJob(api);
        JsonNode audit = audit(api, id);

        assertThat(audit.get("jobId").asText()).isEqualTo(id.toString());
        assertThat(audit.get("verification").get("valid").asBoolean())
                .as(audit.toPrettyString())
                .isTrue();
        JsonNode events = audit.get("events");
        assertThat(audit.get("verification").get("checkedEvents").asLong()).isEqualTo(events.size());
        assertThat(audit.get("verification").has("firstInvalidSeq")).isFalse();
        String previous = "00".repeat(32);
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.get("seq").asLong()).isEqualTo(i + 1);
            assertThat(event.get("prevHash").asText()).isEqualTo(previous);
            assertThat(event.get("hash").asText()).hasSize(64).isNotEqualTo(previous);
            previous = event.get("hash").asText();
        }
        assertThat(audit.get("headSeq").asLong()).isEqualTo(events.size());
        assertThat(audit.get("headHash").asText()).isEqualTo(previous);
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("JOB_SUCCEEDED");
        assertThat(api.get("/api/v1/jobs/" + id + "/events?limit=1000")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(events.size());
    }

    @Test
    void anUnknownJobHasNoAudit() {
        Api.Response response = api().get("/api/v1/jobs/" + UUID.randomUUID() + "/audit");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).endsWith("/job-not-found");
    }

    @Test
    void theApplicationsOwnConnectionCannotChangeOrDeleteEvents() throws SQLException {
        Api api = api();
        UUID id = Jobs.create(api, "alice", Jobs.registerPlan(api, "audit", PLAN), Map.of());
        String before = jdbc.queryForObject(
                "SELECT reason || hash::text FROM job_event WHERE job_id = ? AND seq = 1", String.class, id);
        for (String sql : List.of(
                "UPDATE job_event SET reason = 'rewritten' WHERE job_id = '" + id + "' AND seq = 1",
                "DELETE FROM job_event WHERE job_id = '" + id + "' AND seq = 1",
                "TRUNCATE job_event",
                "UPDATE migration_job SET audit_head_seq = 0 WHERE id = '" + id + "'")) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    assertThatThrownBy(() -> statement.execute(sql))
                            .as(sql)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining(sql.startsWith("UPDATE migration_job") ? "audit head" : "append-only")
                            .satisfies(e ->
                                    assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                } finally {
                    connection.rollback();
                }
            }
        }
        assertThat(jdbc.queryForObject(
                        "SELECT reason || hash::text FROM job_event WHERE job_id = ? AND seq = 1", String.class, id))
                .isEqualTo(before);
        assertThat(audit(api, id).get("verification").get("valid").asBoolean()).isTrue();
    }

    @Test
    void theDatabaseHashesWhatItStoresAndRefusesGapsInTheChain() {
        Api api = api();
        UUID id = Jobs.create(api, "alice", Jobs.registerPlan(api, "audit", PLAN), Map.of());
        // Nanoseconds, NULL beside '', non-ASCII text, and JSON that jsonb normalises (key order,
        // spacing, 1e2, 0.10): Java's recomputation must agree with what the trigger hashed.
        jdbc.update(
                """
                INSERT INTO job_event (job_id, seq, at, actor, type, phase, step_id, from_state, to_state, reason, detail)
                VALUES (?, 2, '2026-11-22T03:14:36.123456789Z', 'Zoë ✓', 'TIMER_CHANGED', NULL, '', NULL, '', 'a''b',
                        '{"b": 1.0,   "a": [1e2, 0.10, "\\u00e9", null], "": {"z": -0}}')""",
                id);
        JsonNode audit = audit(api, id);
        assertThat(audit.get("verification").get("valid").asBoolean())
                .as(audit.toPrettyString())
                .isTrue();
        JsonNode event = audit.get("events").get(1);
        assertThat(event.get("at").asText()).isEqualTo("2026-11-22T03:14:36.123457Z");
        assertThat(event.get("step").asText()).isEmpty();
        assertThat(event.get("phase").isNull()).isTrue();

        assertThatThrownBy(() -> jdbc.update(
                        """
                INSERT INTO job_event (job_id, seq, at, actor, type) VALUES (?, 4, now(), 'mallory', 'JOB_STARTED')""",
                        id))
                .hasMessageContaining("does not follow the head");
    }

    @Test
    void everyKindOfTamperingIsFoundAtTheRightEvent() throws SQLException {
        Api api = api();
        UUID id = finishedJob(api);
        long last = audit(api, id).get("headSeq").asLong();
        assertThat(last).isGreaterThan(6);
        String job = "job_id = '" + id + "'";
        record Tamper(String name, String sql, long firstInvalidSeq) {}
        List<Tamper> cases = List.of(
                new Tamper(
                        "edited reason",
                        "UPDATE job_event SET reason = 'nothing to see' WHERE " + job + " AND seq = 4",
                        4),
                new Tamper(
                        "edited detail",
                        "UPDATE job_event SET detail = detail || '{\"worker\": \"x\"}' WHERE " + job + " AND seq = 5",
                        5),
                new Tamper(
                        "edited time",
                        "UPDATE job_event SET at = at + interval '1 microsecond' WHERE " + job + " AND seq = 2",
                        2),
                new Tamper("deleted middle event", "DELETE FROM job_event WHERE " + job + " AND seq = 3", 3),
                new Tamper("deleted first event", "DELETE FROM job_event WHERE " + job + " AND seq = 1", 1),
                new Tamper("deleted last event", "DELETE FROM job_event WHERE " + job + " AND seq = " + last, last),
                new Tamper("all events deleted", "DELETE FROM job_event WHERE " + job, 1),
                new Tamper("edited and re-hashed", forge(job + " AND seq = 3"), 3),
                new Tamper("last edited and re-hashed", forge(job + " AND seq = " + last), last),
                new Tamper(
                        "renumbered after a deletion",
                        "DELETE FROM job_event WHERE " + job + " AND seq = 3;"
                                // two steps: the unique key (job_id, seq) is checked row by row
                                + " UPDATE job_event SET seq = -seq WHERE " + job + " AND seq > 3;"
                                + " UPDATE job_event SET seq = -seq - 1 WHERE " + job + " AND seq < 0",
                        3));
        for (Tamper tamper : cases) {
            EventTampering.asSuperuser(id, tamper.sql(), () -> {
                JsonNode verification = audit(api, id).get("verification");
                assertThat(verification.get("valid").asBoolean())
                        .as(tamper.name())
                        .isFalse();
                assertThat(verification.get("firstInvalidSeq").asLong())
                        .as(tamper.name() + ": " + verification)
                        .isEqualTo(tamper.firstInvalidSeq());
                assertThat(verification.get("problem").asText())
                        .as(tamper.name())
                        .isNotBlank();

                JsonNode summary = api.get("/api/v1/audit/verify").json();
                assertThat(summary.get("valid").asBoolean()).isFalse();
                assertThat(summary.get("jobsChecked").asLong()).isPositive();
                List<JsonNode> mine = new ArrayList<>();
                summary.get("invalidJobs").forEach(j -> {
                    if (j.get("jobId").asText().equals(id.toString())) {
                        mine.add(j);
                    }
                });
                assertThat(mine).as(tamper.name()).singleElement().satisfies(j -> assertThat(
                                j.get("firstInvalidSeq").asLong())
                        .isEqualTo(tamper.firstInvalidSeq()));
            });
            assertThat(audit(api, id).get("verification").get("valid").asBoolean())
                    .as("restored after " + tamper.name())
                    .isTrue();
        }
        JsonNode summary = api.get("/api/v1/audit/verify").json();
        summary.get("invalidJobs")
                .forEach(j -> assertThat(j.get("jobId").asText()).isNotEqualTo(id.toString()));
    }

    /** Changes the reason and stores a correctly recomputed hash, leaving the successor as it was. */
    private static String forge(String where) {
        return "UPDATE job_event SET reason = 'forged', hash = job_event_hash(prev_hash, job_id, seq, at, actor, type,"
                + " phase, step_id, from_state, to_state, 'forged', detail) WHERE " + where;
    }

    private static UUID finishedJob(Api api) {
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "audit", PLAN), Map.of());
        Jobs.awaitState(api, id, "SUCCEEDED");
        return id;
    }

    private static JsonNode audit(Api api, UUID id) {
        Api.Response response = api.get("/api/v1/jobs/" + id + "/audit");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
