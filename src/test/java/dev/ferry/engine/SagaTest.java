package dev.ferry.engine;

import static dev.ferry.engine.JobBuilder.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.lifecycle.statemachine.SpringStatemachineLifecycle;
import dev.ferry.plan.Phase;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rollback saga, one row per situation a rolling-back job can be in. */
class SagaTest {

    private static final Decider DECIDER = new Decider(new SpringStatemachineLifecycle());

    static Stream<Arguments> rows() {
        return Stream.of(
                arguments(
                        "the newest completed step with an undo is compensated first",
                        afterCutover().build(),
                        List.of("Phase CUTOVER COMPENSATING", "Record PHASE_COMPENSATING", "StartCompensation x")),
                arguments(
                        "within a phase already compensating only the next step starts",
                        afterCutover()
                                .phase(Phase.CUTOVER, p -> p.status(PhaseStatus.COMPENSATING))
                                .step("x2", Phase.CUTOVER, StepStatus.COMPENSATED)
                                .build(),
                        List.of("StartCompensation x")),
                arguments(
                        "a compensation neither queued nor failed is queued urgently",
                        rollingBack()
                                .step("f", Phase.FREEZE, StepStatus.COMPENSATING)
                                .build(),
                        List.of("Queue f urgently")),
                arguments(
                        "a compensation under way is awaited",
                        rollingBack()
                                .step("f", Phase.FREEZE, StepStatus.COMPENSATING, s -> s.leased())
                                .build(),
                        List.of()),
                arguments(
                        "a stuck compensation waits for an operator",
                        rollingBack()
                                .step("f", Phase.FREEZE, StepStatus.COMPENSATING, s -> s.hasError())
                                .build(),
                        List.of()),
                arguments(
                        "a forward step still finishing goes first",
                        rollingBack()
                                .step("f", Phase.FREEZE, StepStatus.SUCCEEDED, s -> s.undoable())
                                .step("c", Phase.COPY, StepStatus.RUNNING, s -> s.leased()
                                        .undoable())
                                .build(),
                        List.of()),
                arguments(
                        "steps without an undo are passed over; with none left the job is rolled back",
                        rollingBack()
                                .step("f", Phase.FREEZE, StepStatus.COMPENSATED)
                                .step("c", Phase.COPY, StepStatus.SUCCEEDED)
                                .build(),
                        List.of(
                                "Phase COPY COMPENSATED",
                                "PhaseMeasured COPY compensated",
                                "Record PHASE_COMPENSATED",
                                "Transition ROLLBACK_COMPLETED JOB_ROLLED_BACK")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void advance(String row, Snapshot job, List<String> expected) {
        assertThat(Summary.of(DECIDER.decide(job, new Input.Advance()))).containsExactlyElementsOf(expected);
    }

    @Test
    void theOrderIsNewestFirstSoTheCutoverIsRevertedBeforeTheFreeze() {
        assertThat(Decider.compensationOrder(afterCutover().build()))
                .extracting(StepSnapshot::stepId)
                .containsExactly("x", "f");
    }

    private static JobBuilder rollingBack() {
        return running().state(JobState.ROLLING_BACK).at(Phase.COPY, PhaseStatus.RUNNING);
    }

    private static JobBuilder afterCutover() {
        return running()
                .state(JobState.ROLLING_BACK)
                .at(Phase.CUTOVER, PhaseStatus.RUNNING)
                .step("f", Phase.FREEZE, StepStatus.SUCCEEDED, s -> s.undoable())
                .step("v", Phase.VERIFY, StepStatus.SUCCEEDED)
                .step("x", Phase.CUTOVER, StepStatus.SUCCEEDED, s -> s.undoable());
    }
}
