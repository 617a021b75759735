package dev.ferry.engine;

import static dev.ferry.engine.JobBuilder.NOW;
import static dev.ferry.engine.JobBuilder.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.ActionResult;
import dev.ferry.action.local.GateAction;
import dev.ferry.audit.JobEventType;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.lifecycle.statemachine.SpringStatemachineLifecycle;
import dev.ferry.plan.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a claim and a call's result lead to: one row per case of the worker's two transactions. */
class StepResultsTest {

    private static final Decider DECIDER = new Decider(new SpringStatemachineLifecycle());

    private static final ActionResult OK =
            ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("arn", "a"));
    private static final ActionResult MORE = ActionResult.inProgress(Duration.ofSeconds(5), null, "creating");
    private static final ActionResult THROTTLED = ActionResult.failed(true, "Throttling", "slow down");
    private static final ActionResult DENIED = ActionResult.failed(false, "AccessDenied", "no");
    private static final ActionResult BREACHED = ActionResult.failed(false, "GATE_BREACHED", "5xx above 1%");
    private static final ActionResult INCONCLUSIVE = ActionResult.failed(false, GateAction.INCONCLUSIVE, "no data");

    static Stream<Arguments> claims() {
        return Stream.of(
                arguments(
                        "a queued step starts its first attempt",
                        copy().step("c", Phase.COPY, StepStatus.PENDING, s -> s.queued())
                                .build(),
                        List.of("BeginAttempt c", "Record STEP_STARTED", "Call c")),
                arguments(
                        "a polled step goes on with the attempt under way",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased())
                                .build(),
                        List.of("Call c")),
                arguments(
                        "a job paused since the claim gets the step back",
                        copy().state(JobState.PAUSED)
                                .step("c", Phase.COPY, StepStatus.PENDING)
                                .build(),
                        List.of("ReleaseLease c")),
                arguments(
                        "a cancelled job gets the step back",
                        copy().state(JobState.CANCELLED)
                                .step("c", Phase.COPY, StepStatus.RUNNING)
                                .build(),
                        List.of("ReleaseLease c")),
                arguments(
                        "in a rollback a forward step with nothing to undo stops",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.RUNNING)
                                .build(),
                        List.of("Abandon c", "Record STEP_ABANDONED", "then Advance")),
                arguments(
                        "in a rollback a forward step with an undo finishes first",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .undoable())
                                .build(),
                        List.of("Call c")),
                arguments(
                        "in a rollback a compensation starts its attempt",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.COMPENSATING)
                                .build(),
                        List.of("BeginAttempt c", "Record STEP_COMPENSATION_STARTED", "Call c undo")),
                arguments(
                        "a compensation does not run once the rollback stopped",
                        copy().state(JobState.CANCELLED)
                                .step("c", Phase.COPY, StepStatus.COMPENSATING)
                                .build(),
                        List.of("ReleaseLease c")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("claims")
    void claimed(String row, Snapshot job, List<String> expected) {
        assertThat(Summary.of(DECIDER.decide(job, new Input.Claimed("c", "worker-1"))))
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> results() {
        List<String> paused = List.of(
                "FailAttempt c",
                "Record STEP_FAILED",
                "StepMeasured failed",
                "Phase COPY FAILED",
                "Record PHASE_FAILED",
                "PhaseMeasured COPY failed",
                "LastError",
                "Transition STEP_FAILED JOB_PAUSED");
        List<String> retried = List.of("FailAttempt c retry", "Record STEP_ATTEMPT_FAILED");
        List<String> rolledBack = List.of(
                "FailAttempt c",
                "Record STEP_FAILED",
                "StepMeasured failed",
                "Phase COPY FAILED",
                "Record PHASE_FAILED",
                "PhaseMeasured COPY failed",
                "LastError",
                "Transition ROLLBACK ROLLBACK_REQUESTED");
        return Stream.of(
                arguments(
                        "success moves the job on",
                        runningStep().build(),
                        OK,
                        List.of("Succeed c", "StepMeasured succeeded", "Record STEP_SUCCEEDED", "then Advance")),
                arguments(
                        "a compensation's success moves the saga on",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.COMPENSATING, s -> s.leased())
                                .build(),
                        OK,
                        List.of("Compensated c", "Record STEP_COMPENSATED", "then Advance")),
                arguments("in progress is polled again", runningStep().build(), MORE, List.of("Poll c")),
                arguments(
                        "in progress past the timeout is a failed attempt, retried",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .deadlineAt(NOW))
                                .build(),
                        MORE,
                        retried),
                arguments(
                        "in progress in a cancelled job stops without an event",
                        copy().state(JobState.CANCELLED)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased())
                                .build(),
                        MORE,
                        List.of("Abandon c")),
                arguments(
                        "in progress in a rollback stops a step with nothing to undo",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased())
                                .build(),
                        MORE,
                        List.of("Abandon c", "Record STEP_ABANDONED", "then Advance")),
                arguments(
                        "in progress in a rollback goes on for a step with an undo",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .undoable())
                                .build(),
                        MORE,
                        List.of("Poll c")),
                arguments(
                        "a retryable failure with attempts left is retried",
                        runningStep().build(),
                        THROTTLED,
                        retried),
                arguments(
                        "a retryable failure on the last attempt pauses the job",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .attempt(3, 3))
                                .build(),
                        THROTTLED,
                        paused),
                arguments(
                        "a non-retryable failure pauses the job", runningStep().build(), DENIED, paused),
                arguments(
                        "a breached gate whose plan says rollback rolls back",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .rollbackOnFailure(true))
                                .build(),
                        BREACHED,
                        with(rolledBack, "RollbackStarted observe-gate", "then Abandon", "then Advance")),
                arguments(
                        "a failed step whose plan says rollback rolls back",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .rollbackOnFailure(false))
                                .build(),
                        DENIED,
                        with(rolledBack, "RollbackStarted step-failure", "then Abandon", "then Advance")),
                arguments(
                        "an inconclusive gate pauses even when the plan says rollback",
                        copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .rollbackOnFailure(true))
                                .build(),
                        INCONCLUSIVE,
                        paused),
                arguments(
                        "past an irreversible step rollback is unavailable: the job pauses",
                        copy().step("drop", Phase.COPY, StepStatus.SUCCEEDED, s -> s.irreversible())
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .rollbackOnFailure(false))
                                .build(),
                        DENIED,
                        paused),
                arguments(
                        "a failed compensation with attempts left is retried",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.COMPENSATING, s -> s.leased()
                                        .attempt(2, 4))
                                .build(),
                        THROTTLED,
                        retried),
                arguments(
                        "a compensation that fails for good is stuck",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.COMPENSATING, s -> s.leased()
                                        .attempt(2, 4))
                                .build(),
                        DENIED,
                        List.of("CompensationFailed c", "Record STEP_COMPENSATION_FAILED", "LastError")),
                arguments(
                        "a forward step failing during a rollback is not retried; the saga goes on",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .undoable())
                                .build(),
                        THROTTLED,
                        List.of("FailAttempt c", "Record STEP_FAILED", "then Advance")),
                arguments(
                        "a failure after a cancel is not retried and changes no state",
                        copy().state(JobState.CANCELLED)
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased())
                                .build(),
                        THROTTLED,
                        paused.subList(0, paused.size() - 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("results")
    void finished(String row, Snapshot job, ActionResult result, List<String> expected) {
        assertThat(Summary.of(DECIDER.decide(job, new Input.StepFinished("c", result))))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aRetryWaitsTheBackoffWithJitter() {
        Decisions decisions = DECIDER.decide(
                copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased().attempt(2, 3))
                        .build(),
                new Input.StepFinished("c", THROTTLED));
        Instant retryAt = ((Decision.FailAttempt) decisions.changes().get(0)).retryAt();
        // Backoff 4 s doubled once: 8 s, half of it fixed, half random.
        assertThat(retryAt).isBetween(NOW.plusSeconds(4), NOW.plusSeconds(8));
        Decision.Record event = (Decision.Record) decisions.changes().get(1);
        assertThat(event.event().detail().get("retryAt").asText()).isEqualTo(retryAt.toString());
        assertThat(event.event().detail().get("code").asText()).isEqualTo("Throttling");
    }

    @Test
    void aPollIsClampedBetweenFiftyMillisecondsAndAnHour() {
        Decision.Poll soon = (Decision.Poll) DECIDER.decide(
                        runningStep().build(),
                        new Input.StepFinished("c", ActionResult.inProgress(Duration.ZERO, null, null)))
                .changes()
                .get(0);
        Decision.Poll late = (Decision.Poll) DECIDER.decide(
                        runningStep().build(),
                        new Input.StepFinished("c", ActionResult.inProgress(Duration.ofDays(1), null, null)))
                .changes()
                .get(0);
        assertThat(soon.at()).isEqualTo(NOW.plusMillis(50));
        assertThat(late.at()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    void aStartedAttemptGetsItsDeadlineAndTheEventNamesTheWorker() {
        Decisions decisions = DECIDER.decide(
                copy().step("c", Phase.COPY, StepStatus.PENDING, s -> s.timeout(Duration.ofMinutes(10)))
                        .build(),
                new Input.Claimed("c", "worker-1"));
        assertThat(((Decision.BeginAttempt) decisions.changes().get(0)).deadline())
                .isEqualTo(NOW.plusSeconds(600));
        assertThat(((Decision.Record) decisions.changes().get(1))
                        .event()
                        .detail()
                        .toString())
                .isEqualTo("{\"attempt\":1,\"action\":\"noop\",\"worker\":\"worker-1\"}");
    }

    @Test
    void pausingSaysWhichStepFailedAndWhy() {
        Decisions decisions = DECIDER.decide(runningStep().build(), new Input.StepFinished("c", DENIED));
        assertThat(decisions.changes())
                .filteredOn(Decision.LastError.class::isInstance)
                .containsExactly(new Decision.LastError("step c failed: AccessDenied: no"));
    }

    @Test
    void aPhaseFailsWithItsStepOnTheTimelineToo() {
        Decisions decisions = DECIDER.decide(runningStep().build(), new Input.StepFinished("c", DENIED));
        assertThat(decisions.changes())
                .filteredOn(Decision.Record.class::isInstance)
                .map(Decision.Record.class::cast)
                .map(Decision.Record::event)
                .filteredOn(e -> e.type() == JobEventType.PHASE_FAILED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.phase()).isEqualTo(Phase.COPY);
                    assertThat(e.from() + "->" + e.to()).isEqualTo("RUNNING->FAILED");
                    assertThat(e.reason()).isEqualTo("step c failed: AccessDenied: no");
                });
    }

    private static JobBuilder copy() {
        return running().at(Phase.COPY, PhaseStatus.RUNNING);
    }

    private static JobBuilder runningStep() {
        return copy().step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased());
    }

    private static List<String> with(List<String> head, String... tail) {
        return Stream.concat(head.stream(), Stream.of(tail)).toList();
    }
}
