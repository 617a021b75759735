package dev.ferry.job;

import dev.ferry.engine.Decider;
import dev.ferry.engine.Decisions;
import dev.ferry.engine.Input;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Runs the engine inside a {@link JobChange}: snapshot the locked job, let the {@link Decider}
 * decide, write its decisions, and decide again on what they changed until nothing follows.
 * Idempotent: advancing twice changes nothing more.
 */
@Component
public class JobProgression {

    /** Far above any real chain (seven phases, a few decisions each): a loop here is a bug, not load. */
    private static final int MAX_ROUNDS = 200;

    private final Decider decider;
    private final Snapshots snapshots;
    private final DecisionWriter writer;

    JobProgression(JobLifecycle lifecycle, Snapshots snapshots, DecisionWriter writer) {
        this.decider = new Decider(lifecycle);
        this.snapshots = snapshots;
        this.writer = writer;
    }

    /** Moves the job on as far as it may: the next step, phase, approval, wait, compensation or its end. */
    public void advance(JobChange change) {
        decide(change, new Input.Advance());
    }

    /**
     * After a cancel or at the start of a rollback: no forward step starts any more (see the engine).
     *
     * @param runningPhaseBecomes the new status of the phase under way, or null to leave it
     */
    public void abandon(JobChange change, String reason, PhaseStatus runningPhaseBecomes) {
        decide(change, new Input.Abandon(reason, runningPhaseBecomes));
    }

    /** Decides {@code input} and everything that follows from it; returns the decisions for {@code input} itself. */
    Decisions decide(JobChange change, Input input) {
        Decisions first = null;
        Deque<Input> inputs = new ArrayDeque<>(List.of(input));
        for (int round = 0; !inputs.isEmpty(); round++) {
            if (round >= MAX_ROUNDS) {
                throw new IllegalStateException("the engine did not settle job "
                        + change.job().id() + " after " + MAX_ROUNDS + " rounds; last input " + inputs.peekFirst());
            }
            Decisions decisions =
                    decider.decide(snapshots.of(change.job(), change.now(), change.quorum()), inputs.pollFirst());
            writer.apply(change, decisions);
            if (first == null) {
                first = decisions;
            }
            List<Input> then = decisions.then();
            for (int i = then.size() - 1; i >= 0; i--) {
                inputs.addFirst(then.get(i));
            }
        }
        return first;
    }
}
