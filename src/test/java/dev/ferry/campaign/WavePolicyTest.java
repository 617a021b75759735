package dev.ferry.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.lifecycle.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WavePolicyTest {

    private static WavePolicy.TargetState pending(int ordinal) {
        return new WavePolicy.TargetState(ordinal, null, false, false);
    }

    private static WavePolicy.TargetState job(int ordinal, JobState state) {
        return new WavePolicy.TargetState(ordinal, state, false, false);
    }

    private static WavePolicy.TargetState pausedOnError(int ordinal) {
        return new WavePolicy.TargetState(ordinal, JobState.PAUSED, true, false);
    }

    private static WavePolicy.Next decide(int max, FailurePolicy policy, WavePolicy.TargetState... targets) {
        return decide(max, policy, 0, targets);
    }

    private static WavePolicy.Next decide(
            int max, FailurePolicy policy, int accepted, WavePolicy.TargetState... targets) {
        return WavePolicy.decide(new WavePolicy.WaveSnapshot(true, false, max, policy, accepted, List.of(targets)));
    }

    @Test
    void aWaveWaitsForItsApprovalBeforeItBegins() {
        assertThat(WavePolicy.decide(
                        new WavePolicy.WaveSnapshot(false, true, 1, FailurePolicy.DEFAULT, 0, List.of(pending(0)))))
                .isInstanceOf(WavePolicy.AwaitApproval.class);
        assertThat(WavePolicy.decide(
                        new WavePolicy.WaveSnapshot(false, false, 1, FailurePolicy.DEFAULT, 0, List.of(pending(0)))))
                .isInstanceOf(WavePolicy.Begin.class);
    }

    @Test
    void launchesIntoFreeSlotsInOrder() {
        assertThat(decide(2, FailurePolicy.DEFAULT, pending(0), pending(1), pending(2)))
                .isEqualTo(new WavePolicy.Launch(List.of(0, 1)));
        assertThat(decide(2, FailurePolicy.DEFAULT, job(0, JobState.RUNNING), pending(1), pending(2)))
                .isEqualTo(new WavePolicy.Launch(List.of(1)));
        // Waiting for an approval or a timer still takes a slot: the job is not finished.
        assertThat(decide(
                        2,
                        FailurePolicy.DEFAULT,
                        job(0, JobState.AWAITING_APPROVAL),
                        job(1, JobState.WAITING),
                        pending(2)))
                .isInstanceOf(WavePolicy.Hold.class);
        assertThat(decide(2, FailurePolicy.DEFAULT, job(0, JobState.SUCCEEDED), job(1, JobState.RUNNING), pending(2)))
                .isEqualTo(new WavePolicy.Launch(List.of(2)));
    }

    @Test
    void completesOnlyWhenEveryJobIsFinished() {
        assertThat(decide(2, FailurePolicy.DEFAULT, job(0, JobState.SUCCEEDED), job(1, JobState.RUNNING)))
                .isEqualTo(new WavePolicy.Hold("1 job(s) of the wave not finished"));
        assertThat(decide(2, FailurePolicy.DEFAULT, job(0, JobState.SUCCEEDED), job(1, JobState.SUCCEEDED)))
                .isInstanceOf(WavePolicy.Complete.class);
    }

    @Test
    void thresholdsByCountAndByShare() {
        FailurePolicy two = new FailurePolicy(2, null, false);
        assertThat(decide(4, two, pausedOnError(0), job(1, JobState.RUNNING), pending(2)))
                .isEqualTo(new WavePolicy.Launch(List.of(2)));
        assertThat(decide(4, two, pausedOnError(0), job(1, JobState.ROLLED_BACK), pending(2)))
                .isEqualTo(new WavePolicy.Halt(2, 3));
        // An operator's pause is no failure; a cancelled job or a job that could not start is.
        assertThat(decide(1, FailurePolicy.DEFAULT, job(0, JobState.PAUSED), pending(1)))
                .isInstanceOf(WavePolicy.Hold.class);
        assertThat(decide(1, FailurePolicy.DEFAULT, job(0, JobState.CANCELLED), pending(1)))
                .isEqualTo(new WavePolicy.Halt(1, 2));
        assertThat(decide(1, FailurePolicy.DEFAULT, new WavePolicy.TargetState(0, null, false, true), pending(1)))
                .isEqualTo(new WavePolicy.Halt(1, 2));

        FailurePolicy quarter = new FailurePolicy(null, 25, false);
        List<WavePolicy.TargetState> eight = new ArrayList<>();
        eight.add(pausedOnError(0));
        for (int i = 1; i < 8; i++) {
            eight.add(job(i, JobState.RUNNING));
        }
        assertThat(WavePolicy.decide(new WavePolicy.WaveSnapshot(true, false, 8, quarter, 0, eight)))
                .isInstanceOf(WavePolicy.Hold.class);
        eight.set(1, job(1, JobState.ROLLING_BACK));
        assertThat(WavePolicy.decide(new WavePolicy.WaveSnapshot(true, false, 8, quarter, 0, eight)))
                .isEqualTo(new WavePolicy.Halt(2, 8));
    }

    @Test
    void acceptedFailuresNoLongerCount() {
        assertThat(decide(1, FailurePolicy.DEFAULT, 1, job(0, JobState.ROLLED_BACK), pending(1)))
                .isEqualTo(new WavePolicy.Launch(List.of(1)));
        assertThat(decide(1, FailurePolicy.DEFAULT, 1, job(0, JobState.ROLLED_BACK), job(1, JobState.CANCELLED)))
                .isEqualTo(new WavePolicy.Halt(2, 2));
        assertThat(decide(1, FailurePolicy.DEFAULT, 1, job(0, JobState.ROLLED_BACK), job(1, JobState.SUCCEEDED)))
                .isInstanceOf(WavePolicy.Complete.class);
    }

    private static CampaignStore.Target target(JobState job, String lastError, String launchError) {
        return new CampaignStore.Target(
                0,
                0,
                "t",
                null,
                null,
                job == null ? null : UUID.randomUUID(),
                null,
                launchError,
                job,
                null,
                lastError,
                null);
    }

    @Test
    void aTargetThatCouldNotStartIsAFailureUntilSomeoneStartsItsJobByHand() {
        assertThat(target(JobState.CREATED, null, "preflight blocked")
                        .policyState()
                        .failed())
                .isTrue();
        assertThat(target(null, null, "plan parameters refused").policyState().finished())
                .isTrue();
        WavePolicy.TargetState startedByHand =
                target(JobState.RUNNING, null, "preflight blocked").policyState();
        assertThat(startedByHand.failed()).isFalse();
        assertThat(startedByHand.occupiesSlot()).isTrue();
        assertThat(target(JobState.PAUSED, "AccessDenied", null).policyState().failed())
                .isTrue();
        assertThat(target(JobState.PAUSED, null, null).policyState().failed()).isFalse();
    }
}
