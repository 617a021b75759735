package dev.ferry.job;

import dev.ferry.engine.Decider;
import dev.ferry.engine.StepSnapshot;
import java.util.List;
import org.springframework.stereotype.Component;

/** What a rollback would do now, for job views; the saga itself is decided by the engine. */
@Component
public class Compensations {

    private final Snapshots snapshots;

    Compensations(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    /**
     * The steps a rollback would compensate now, in the order it would: every completed step with
     * an undo, and one still under way that has an undo (it finishes first, then is undone).
     */
    public List<StepExecution> pending(MigrationJob job) {
        return Decider.compensationOrder(snapshots.forView(job)).stream()
                .map(StepSnapshot::stepId)
                .map(id -> job.step(id).orElseThrow())
                .toList();
    }
}
