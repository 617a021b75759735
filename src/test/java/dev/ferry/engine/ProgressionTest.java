package dev.ferry.engine;

import static dev.ferry.engine.JobBuilder.NOW;
import static dev.ferry.engine.JobBuilder.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.lifecycle.statemachine.SpringStatemachineLifecycle;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where a job goes next after something changed: one row per way forward, wait or stop. */
class ProgressionTest {

    private static final Decider DECIDER = new Decider(new SpringStatemachineLifecycle());
    /** Sundays 03:00–04:00 UTC: closed at {@link JobBuilder#NOW}, a Friday noon. */
    private static final MaintenanceWindow SUNDAY_NIGHT =
            new MaintenanceWindow(Set.of(DayOfWeek.SUNDAY), LocalTime.of(3, 0), LocalTime.of(4, 0), ZoneOffset.UTC);
    /** Every day 11:00–13:00 UTC: open at NOW for another hour. */
    private static final MaintenanceWindow MIDDAY =
            new MaintenanceWindow(Set.of(), LocalTime.of(11, 0), LocalTime.of(13, 0), ZoneOffset.UTC);

    static Stream<Arguments> advances() {
        return Stream.of(
                arguments(
                        "the next step of the phase is queued",
                        copy().step("c1", Phase.COPY, StepStatus.SUCCEEDED)
                                .step("c2", Phase.COPY, StepStatus.PENDING)
                                .build(),
                        List.of("Current COPY", "Queue c2")),
                arguments(
                        "a step already queued is left alone",
                        copy().step("c1", Phase.COPY, StepStatus.PENDING, s -> s.queued())
                                .build(),
                        List.of("Current COPY")),
                arguments(
                        "a phase whose steps are done succeeds, and the job decides again",
                        copy().step("c1", Phase.COPY, StepStatus.SUCCEEDED).build(),
                        List.of(
                                "Current COPY",
                                "Phase COPY SUCCEEDED",
                                "Record PHASE_SUCCEEDED",
                                "PhaseMeasured COPY succeeded",
                                "then Advance")),
                arguments(
                        "the next phase starts and queues its first step",
                        running()
                                .at(Phase.VERIFY, PhaseStatus.PENDING)
                                .step("v", Phase.VERIFY, StepStatus.PENDING)
                                .build(),
                        List.of("Current VERIFY", "Phase VERIFY RUNNING", "Record PHASE_STARTED", "Queue v")),
                arguments(
                        "a phase that needs approval opens a round and the job waits for it",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.PENDING)
                                .phase(Phase.CUTOVER, p -> p.approval(2, 0, false))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING)
                                .build(),
                        List.of(
                                "Current CUTOVER",
                                "RequestApproval CUTOVER",
                                "Record PHASE_AWAITING_APPROVAL",
                                "Transition AWAIT_APPROVAL JOB_AWAITING_APPROVAL")),
                arguments(
                        "an approved phase starts and its first step is urgent",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.AWAITING_APPROVAL)
                                .phase(Phase.CUTOVER, p -> p.approval(2, 1, true)
                                        .approvalRequestedAt(NOW.minusSeconds(90)))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING)
                                .build(),
                        List.of(
                                "Current CUTOVER",
                                "ApprovalWaited CUTOVER",
                                "Phase CUTOVER RUNNING",
                                "Record PHASE_STARTED",
                                "Queue x urgently")),
                arguments(
                        "a resumed job without its approvals waits for them again",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.AWAITING_APPROVAL)
                                .phase(Phase.CUTOVER, p -> p.approval(2, 1, false))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING)
                                .build(),
                        List.of("Current CUTOVER", "Transition AWAIT_APPROVAL JOB_AWAITING_APPROVAL")),
                arguments(
                        "a phase outside its maintenance window waits for the opening",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.PENDING)
                                .phase(Phase.CUTOVER, p -> p.window(SUNDAY_NIGHT))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING)
                                .build(),
                        List.of("Current CUTOVER", "WaitUntil", "Transition WAIT JOB_WAITING")),
                arguments(
                        "a step that cannot finish before the window closes waits for the next opening",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.RUNNING)
                                .phase(Phase.CUTOVER, p -> p.window(MIDDAY))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING, s -> s.estimate(Duration.ofHours(2)))
                                .build(),
                        List.of("Current CUTOVER", "WaitUntil", "Transition WAIT JOB_WAITING")),
                arguments(
                        "a step that fits in the open window is queued",
                        running()
                                .at(Phase.CUTOVER, PhaseStatus.RUNNING)
                                .phase(Phase.CUTOVER, p -> p.window(MIDDAY))
                                .step("x", Phase.CUTOVER, StepStatus.PENDING, s -> s.estimate(Duration.ofMinutes(30)))
                                .build(),
                        List.of("Current CUTOVER", "Queue x")),
                arguments(
                        "a phase before its notBefore delay fixes its earliest start and waits",
                        running()
                                .at(Phase.CLEANUP, PhaseStatus.PENDING)
                                .phase(
                                        Phase.CLEANUP,
                                        p -> p.notBefore(new NotBefore(Phase.OBSERVE, Duration.ofDays(7))))
                                .step("d", Phase.CLEANUP, StepStatus.PENDING)
                                .build(),
                        List.of(
                                "Current CLEANUP",
                                "EarliestStart CLEANUP",
                                "WaitUntil",
                                "Transition WAIT JOB_WAITING")),
                arguments(
                        "a phase past its notBefore delay starts",
                        running()
                                .at(Phase.CLEANUP, PhaseStatus.PENDING)
                                .phase(Phase.CLEANUP, p -> p.notBefore(new NotBefore(Phase.OBSERVE, Duration.ofDays(7)))
                                        .earliestStart(NOW.minusSeconds(1)))
                                .step("d", Phase.CLEANUP, StepStatus.PENDING)
                                .build(),
                        List.of("Current CLEANUP", "Phase CLEANUP RUNNING", "Record PHASE_STARTED", "Queue d")),
                arguments(
                        "from FREEZE on the job first takes its resource locks",
                        running()
                                .resourcesLocked(false)
                                .at(Phase.FREEZE, PhaseStatus.PENDING)
                                .step("f", Phase.FREEZE, StepStatus.PENDING)
                                .build(),
                        List.of("Current FREEZE", "LockResources", "then Advance")),
                arguments(
                        "a failed phase holds the job where it is",
                        running()
                                .at(Phase.COPY, PhaseStatus.FAILED)
                                .step("c", Phase.COPY, StepStatus.FAILED)
                                .build(),
                        List.of("Current COPY")),
                arguments(
                        "when every phase is done the job succeeds",
                        running().at(Phase.CLEANUP, PhaseStatus.SUCCEEDED).build(),
                        List.of("Transition COMPLETE JOB_SUCCEEDED")),
                arguments(
                        "a paused job does not move",
                        copy().state(JobState.PAUSED)
                                .step("c", Phase.COPY, StepStatus.PENDING)
                                .build(),
                        List.of()),
                arguments(
                        "a waiting job does not move",
                        copy().state(JobState.WAITING)
                                .step("c", Phase.COPY, StepStatus.PENDING)
                                .build(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("advances")
    void advance(String row, Snapshot job, List<String> expected) {
        assertThat(Summary.of(DECIDER.decide(job, new Input.Advance()))).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> abandons() {
        return Stream.of(
                arguments(
                        "a cancel skips what did not start, stops what no worker holds, fails the running phase",
                        copy().state(JobState.CANCELLED)
                                .step("c1", Phase.COPY, StepStatus.RUNNING)
                                .step("c2", Phase.COPY, StepStatus.RUNNING, s -> s.leased())
                                .step("v", Phase.VERIFY, StepStatus.PENDING)
                                .build(),
                        PhaseStatus.FAILED,
                        List.of(
                                "Abandon c1",
                                "Record STEP_ABANDONED",
                                "Skip v",
                                "Phase COPY FAILED",
                                "Record PHASE_FAILED",
                                "Phase VERIFY SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase CUTOVER SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase OBSERVE SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase CLEANUP SKIPPED",
                                "Record PHASE_SKIPPED")),
                arguments(
                        "a rollback leaves a step with an undo to finish, and the running phase as it is",
                        copy().state(JobState.ROLLING_BACK)
                                .step("c1", Phase.COPY, StepStatus.RUNNING, s -> s.undoable())
                                .step("c2", Phase.COPY, StepStatus.PENDING)
                                .build(),
                        null,
                        List.of(
                                "Skip c2",
                                "Phase VERIFY SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase CUTOVER SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase OBSERVE SKIPPED",
                                "Record PHASE_SKIPPED",
                                "Phase CLEANUP SKIPPED",
                                "Record PHASE_SKIPPED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("abandons")
    void abandon(String row, Snapshot job, PhaseStatus runningPhaseBecomes, List<String> expected) {
        assertThat(Summary.of(DECIDER.decide(job, new Input.Abandon("why", runningPhaseBecomes))))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aWaitNamesWhatItWaitsForAndWhen() {
        Decisions decisions = DECIDER.decide(
                running()
                        .at(Phase.CUTOVER, PhaseStatus.PENDING)
                        .phase(Phase.CUTOVER, p -> p.window(SUNDAY_NIGHT))
                        .build(),
                new Input.Advance());
        Decision.WaitUntil wait = (Decision.WaitUntil) decisions.changes().get(1);
        assertThat(wait.at()).isEqualTo(NOW.plus(Duration.ofHours(39)));
        Decision.Transition transition =
                (Decision.Transition) decisions.changes().get(2);
        assertThat(transition.draft().detail().get("kind").asText()).isEqualTo("window");
        assertThat(transition.draft().detail().get("wakeAt").asText())
                .isEqualTo(wait.at().toString());
    }

    @Test
    void anApprovalRoundIsNumberedAfterTheLast() {
        Decisions decisions = DECIDER.decide(
                running()
                        .at(Phase.CUTOVER, PhaseStatus.REJECTED)
                        .phase(Phase.CUTOVER, p -> p.approval(2, 1, false))
                        .build(),
                new Input.Advance());
        Decision.Record record = (Decision.Record) decisions.changes().get(2);
        assertThat(record.event().detail().toString()).isEqualTo("{\"required\":2,\"round\":2}");
    }

    private static JobBuilder copy() {
        return running().at(Phase.COPY, PhaseStatus.RUNNING);
    }
}
