package dev.ferry.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** What any implementation of {@link JobLifecycle} must do; a replacement of Spring Statemachine must pass it. */
public abstract class JobLifecycleContract {

    private static final GuardFacts NOTHING = new GuardFacts(false, false, false, true);

    protected abstract JobLifecycle lifecycle();

    @Test
    void startMovesCreatedToRunning() {
        Transition t = lifecycle().fire(JobState.CREATED, LifecycleEvent.START, NOTHING);
        assertThat(t.accepted()).isTrue();
        assertThat(t.to()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void anEventWithoutTransitionIsRefusedAndLeavesTheState() {
        Transition t = lifecycle().fire(JobState.SUCCEEDED, LifecycleEvent.START, NOTHING);
        assertThat(t.accepted()).isFalse();
        assertThat(t.to()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void approvalMovesOnlyWhenQuorumIsReached() {
        assertThat(lifecycle()
                        .fire(JobState.AWAITING_APPROVAL, LifecycleEvent.APPROVE, NOTHING)
                        .accepted())
                .isFalse();
        GuardFacts quorum = new GuardFacts(true, false, false, true);
        assertThat(lifecycle()
                        .fire(JobState.AWAITING_APPROVAL, LifecycleEvent.APPROVE, quorum)
                        .to())
                .isEqualTo(JobState.RUNNING);
    }

    @Test
    void rejectionCancelsBeforeAnyStepAndPausesAfter() {
        assertThat(lifecycle()
                        .fire(JobState.AWAITING_APPROVAL, LifecycleEvent.REJECT, NOTHING)
                        .to())
                .isEqualTo(JobState.CANCELLED);
        GuardFacts started = new GuardFacts(false, true, false, true);
        assertThat(lifecycle()
                        .fire(JobState.AWAITING_APPROVAL, LifecycleEvent.REJECT, started)
                        .to())
                .isEqualTo(JobState.PAUSED);
    }

    @Test
    void retryNeedsAFailedStepAndResumeNeedsNone() {
        GuardFacts failed = new GuardFacts(false, true, true, true);
        assertThat(lifecycle().allowedCommands(JobState.PAUSED, failed))
                .contains(LifecycleEvent.RETRY, LifecycleEvent.SKIP_STEP, LifecycleEvent.CANCEL)
                .doesNotContain(LifecycleEvent.RESUME);
        assertThat(lifecycle().allowedCommands(JobState.PAUSED, NOTHING))
                .contains(LifecycleEvent.RESUME)
                .doesNotContain(LifecycleEvent.RETRY, LifecycleEvent.SKIP_STEP);
    }

    @Test
    void rollbackIsRefusedPastThePointOfNoReturn() {
        GuardFacts irreversible = new GuardFacts(false, true, false, false);
        assertThat(lifecycle()
                        .fire(JobState.RUNNING, LifecycleEvent.ROLLBACK, irreversible)
                        .accepted())
                .isFalse();
        assertThat(lifecycle()
                        .fire(JobState.RUNNING, LifecycleEvent.ROLLBACK, NOTHING)
                        .to())
                .isEqualTo(JobState.ROLLING_BACK);
    }

    @Test
    void terminalStatesAcceptNoCommand() {
        for (JobState state : EnumSet.allOf(JobState.class)) {
            if (state.isTerminal()) {
                assertThat(lifecycle().allowedCommands(state, NOTHING))
                        .as(state.name())
                        .isEmpty();
            }
        }
    }

    @Test
    void requireThrowsNamingStateAndAlternatives() {
        assertThatThrownBy(() -> lifecycle().require(JobState.CREATED, LifecycleEvent.PAUSE, NOTHING))
                .isInstanceOf(TransitionNotAllowedException.class)
                .hasMessageContaining("CREATED")
                .hasMessageContaining("start")
                .hasMessageContaining("cancel");
    }

    @Test
    void diagramShowsEveryStateAndGuards() {
        String diagram = lifecycle().mermaid();
        assertThat(diagram).startsWith("stateDiagram-v2");
        for (JobState state : JobState.values()) {
            assertThat(diagram).contains(state.name());
        }
        assertThat(diagram).contains("AWAITING_APPROVAL --> RUNNING : approve [quorum reached]");
    }
}
