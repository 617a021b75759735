package dev.ferry.campaign;

import dev.ferry.lifecycle.JobState;
import java.util.List;

/**
 * What the current wave of a running campaign needs next, decided from a snapshot and nothing
 * else (no I/O): begin (or wait for approval), launch jobs into free slots, halt on the failure
 * threshold, finish the wave, or hold and say why. The driver applies the answer and asks again.
 */
final class WavePolicy {

    private WavePolicy() {}

    /** One target of the wave: its job's state (null before launch), whether its job paused on an error. */
    record TargetState(int ordinal, JobState job, boolean pausedOnError, boolean launchFailed) {

        boolean launched() {
            return job != null || launchFailed;
        }

        boolean finished() {
            return launchFailed || job != null && job.isTerminal();
        }

        boolean failed() {
            return launchFailed
                    || job == JobState.ROLLING_BACK
                    || job == JobState.ROLLED_BACK
                    || job == JobState.FAILED
                    || job == JobState.CANCELLED
                    || job == JobState.PAUSED && pausedOnError;
        }

        boolean occupiesSlot() {
            return job != null && !job.isTerminal();
        }
    }

    /**
     * @param started the wave has begun (its approval, if any, was given)
     * @param approvalRequired the wave asks for an approval before it begins
     */
    record WaveSnapshot(
            boolean started,
            boolean approvalRequired,
            int maxConcurrent,
            FailurePolicy policy,
            int acceptedFailures,
            List<TargetState> targets) {

        long failed() {
            return targets.stream().filter(TargetState::failed).count();
        }

        long running() {
            return targets.stream().filter(TargetState::occupiesSlot).count();
        }
    }

    sealed interface Next {}

    /** The wave asks for its approval before its first job. */
    record AwaitApproval() implements Next {}

    /** The wave begins (it needs no approval, or it was given). */
    record Begin() implements Next {}

    /** Launch these targets now, in this order. */
    record Launch(List<Integer> ordinals) implements Next {}

    /** The failure threshold is reached: start nothing more. */
    record Halt(long failed, int size) implements Next {}

    /** Every job of the wave is finished, below the threshold. */
    record Complete() implements Next {}

    /** Nothing to do until a job changes; {@code why} is what blocks the next wave. */
    record Hold(String why) implements Next {}

    static Next decide(WaveSnapshot wave) {
        if (!wave.started()) {
            return wave.approvalRequired() ? new AwaitApproval() : new Begin();
        }
        int size = wave.targets().size();
        long failed = wave.failed();
        // Failures an operator accepted by resuming after a halt no longer count towards the threshold.
        if (wave.policy().reached((int) Math.max(0, failed - wave.acceptedFailures()), size)) {
            return new Halt(failed, size);
        }
        long free = wave.maxConcurrent() - wave.running();
        List<Integer> waiting = wave.targets().stream()
                .filter(t -> !t.launched())
                .map(TargetState::ordinal)
                .toList();
        if (free > 0 && !waiting.isEmpty()) {
            return new Launch(waiting.subList(0, (int) Math.min(free, waiting.size())));
        }
        if (waiting.isEmpty() && wave.targets().stream().allMatch(TargetState::finished)) {
            return new Complete();
        }
        long unfinished = wave.targets().stream().filter(t -> !t.finished()).count();
        return new Hold(unfinished + " job(s) of the wave not finished"
                + (waiting.isEmpty() ? "" : ", " + waiting.size() + " waiting for a slot")
                + (failed > 0
                        ? ", " + failed + " failed (limit " + wave.policy().describe() + ")"
                        : ""));
    }
}
