package dev.ferry.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The write path's shortcuts, read back from the timeline's own transaction ids: a worker that
 * finishes a step starts the job's next one in the same transaction, and the start that opens the
 * first phase, or the approval that opens a phase, starts the phase's first step in its own, and
 * a rollback starts its first compensation in its own. Each step still starts once, and every
 * {@code STEP_STARTED} is committed before its call (the call's result comes in a later
 * transaction).
 */
class StepChainIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: a, action: noop}
                  - {id: b, action: noop}
                  - {id: c, action: noop}
              cutover:
                approval: {required: 1, roles: [approver]}
                steps:
                  - {id: x, action: noop}
                  - {id: y, action: noop}
            """;

    @Test
    void aFinishedStepStartsTheNextInItsOwnTransactionAndAStartOrAnApprovalStartsThePhase() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase())) {
            UUID id = runToTheEnd(engine);
            List<Event> events = events(engine.jdbc(), id);

            assertThat(transactionOf(events, "STEP_STARTED", "a"))
                    .as("the start started the first phase's first step")
                    .isEqualTo(transactionOf(events, "JOB_STARTED", null));
            assertThat(transactionOf(events, "STEP_STARTED", "b"))
                    .as("b started where a succeeded")
                    .isEqualTo(transactionOf(events, "STEP_SUCCEEDED", "a"));
            assertThat(transactionOf(events, "STEP_STARTED", "c"))
                    .isEqualTo(transactionOf(events, "STEP_SUCCEEDED", "b"));
            assertThat(transactionOf(events, "STEP_STARTED", "x"))
                    .as("the approval started the phase's first step")
                    .isEqualTo(transactionOf(events, "PHASE_APPROVED", null));
            assertThat(transactionOf(events, "STEP_STARTED", "y"))
                    .isEqualTo(transactionOf(events, "STEP_SUCCEEDED", "x"));
            for (String step : List.of("a", "b", "c", "x", "y")) {
                assertThat(transactionsOf(events, "STEP_STARTED", step))
                        .as("step %s started once", step)
                        .hasSize(1);
                assertThat(transactionOf(events, "STEP_SUCCEEDED", step))
                        .as("step %s: its result is recorded after its start was committed", step)
                        .isNotEqualTo(transactionOf(events, "STEP_STARTED", step));
            }
            assertThat(engine.jdbc()
                            .queryForObject(
                                    "SELECT count(*) FROM step_execution WHERE job_id = ? AND lease_owner IS NOT NULL",
                                    Integer.class,
                                    id))
                    .as("no lease left")
                    .isZero();
        }
    }

    @Test
    void aRollbackStartsTheNewestStepsCompensationInItsOwnTransaction() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase())) {
            Api api = engine.api();
            UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "chains-undone", PLAN), Map.of());
            Jobs.awaitState(api, id, "AWAITING_APPROVAL");
            accepted(api.as("alertmanager"), id, "/rollback", Map.of("reason", "alarm"));
            Jobs.awaitState(api, id, "ROLLED_BACK");
            List<Event> events = events(engine.jdbc(), id);

            assertThat(transactionOf(events, "STEP_COMPENSATION_STARTED", "c"))
                    .as("the rollback started c's compensation")
                    .isEqualTo(transactionOf(events, "ROLLBACK_REQUESTED", null));
            assertThat(transactionOf(events, "STEP_COMPENSATED", "c"))
                    .as("its result is recorded after its start was committed")
                    .isNotEqualTo(transactionOf(events, "STEP_COMPENSATION_STARTED", "c"));
            assertThat(transactionOf(events, "STEP_COMPENSATION_STARTED", "b"))
                    .as("b's compensation started where c's finished")
                    .isEqualTo(transactionOf(events, "STEP_COMPENSATED", "c"));
        }
    }

    @Test
    void aRetryOrASkipStartsTheNextStepInItsOwnTransaction() {
        String plan =
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - id: flaky
                        action: fail
                        with: {times: 1, message: disk full}
                        retry: {maxAttempts: 1}
                      - id: broken
                        action: fail
                        with: {message: always}
                        retry: {maxAttempts: 1}
                      - {id: after, action: noop}
                """;
        try (Engine engine = Engine.start(TestDatabase.newDatabase())) {
            Api api = engine.api();
            UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "chains-retried", plan), Map.of());
            Jobs.awaitState(api, id, "PAUSED");
            accepted(api.as("alice"), id, "/retry", Map.of("reason", "freed space"));
            Jobs.awaitState(api, id, "PAUSED"); // now on broken, which always fails
            accepted(api.as("alice"), id, "/steps/broken/skip", Map.of("reason", "done by hand"));
            Jobs.awaitState(api, id, "SUCCEEDED");
            List<Event> events = events(engine.jdbc(), id);

            List<Long> flakyStarts = transactionsOf(events, "STEP_STARTED", "flaky");
            assertThat(flakyStarts).hasSize(2);
            assertThat(flakyStarts.get(1))
                    .as("the retry started the failed step again")
                    .isEqualTo(transactionOf(events, "JOB_RETRIED", "flaky"));
            assertThat(transactionOf(events, "STEP_STARTED", "after"))
                    .as("the skip started the next step")
                    .isEqualTo(transactionOf(events, "STEP_SKIPPED", "broken"));
        }
    }

    @Test
    void aRetriedCompensationStartsInTheRetrysOwnTransaction() {
        String plan =
                """
                name: %s
                phases:
                  freeze:
                    steps:
                      - id: freeze
                        action: noop
                        compensate: {action: fail, with: {retryable: false, times: 2, message: throttled}}
                  cutover:
                    approval: {required: 1}
                    steps:
                      - {id: switch, action: noop}
                """;
        try (Engine engine = Engine.start(TestDatabase.newDatabase())) {
            Api api = engine.api();
            UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "chains-undo-retried", plan), Map.of());
            Jobs.awaitState(api, id, "AWAITING_APPROVAL");
            api.as("alice").post("/api/v1/jobs/" + id + "/rollback", null);
            await("freeze's compensation failed for good")
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            Jobs.step(Jobs.get(api, id), "freeze").path("error").has("code"));
            accepted(api.as("alice"), id, "/steps/freeze/compensation/retry", Map.of("reason", "quota"));
            Jobs.awaitState(api, id, "ROLLED_BACK");
            List<Event> events = events(engine.jdbc(), id);

            List<Long> starts = transactionsOf(events, "STEP_COMPENSATION_STARTED", "freeze");
            assertThat(starts).hasSize(2);
            assertThat(starts.get(1))
                    .as("the retry started the compensation again")
                    .isEqualTo(transactionOf(events, "JOB_RETRIED", "freeze"));
        }
    }

    @Test
    void withChainsOffEveryStepIsClaimedFromTheQueue() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase(), "ferry.worker.chain-limit=1")) {
            UUID id = runToTheEnd(engine);
            List<Event> events = events(engine.jdbc(), id);

            assertThat(transactionOf(events, "STEP_STARTED", "b"))
                    .isNotEqualTo(transactionOf(events, "STEP_SUCCEEDED", "a"));
            assertThat(transactionOf(events, "STEP_STARTED", "y"))
                    .isNotEqualTo(transactionOf(events, "STEP_SUCCEEDED", "x"));
        }
    }

    private static UUID runToTheEnd(Engine engine) {
        Api api = engine.api();
        String plan = Jobs.registerPlan(api, "chains", PLAN);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        accepted(api.as("bob", "approver"), id, "/phases/cutover/approve", Map.of("comment", "go"));
        Jobs.awaitState(api, id, "SUCCEEDED");
        return id;
    }

    /** Posts an operator's command to the job and expects it taken ({@code 200}). */
    private static void accepted(Api caller, UUID id, String command, Object body) {
        assertThat(caller.post("/api/v1/jobs/" + id + command, body).status())
                .as("POST %s", command)
                .isEqualTo(200);
    }

    private record Event(String type, String step, long transaction) {}

    private static List<Event> events(JdbcTemplate jdbc, UUID job) {
        return jdbc.query(
                "SELECT type, step_id, xmin::text::bigint AS tx FROM job_event WHERE job_id = ? ORDER BY seq",
                (rs, i) -> new Event(rs.getString(1), rs.getString(2), rs.getLong(3)),
                job);
    }

    private static long transactionOf(List<Event> events, String type, String step) {
        List<Long> all = transactionsOf(events, type, step);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type + " " + step + " in " + events);
        }
        return all.get(0);
    }

    /** The transactions of every {@code type} event (of {@code step}, unless null), in timeline order. */
    private static List<Long> transactionsOf(List<Event> events, String type, String step) {
        return events.stream()
                .filter(e -> e.type().equals(type) && (step == null || step.equals(e.step())))
                .map(Event::transaction)
                .toList();
    }
}
