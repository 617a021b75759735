package dev.ferry.job;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Job changes whose first queued step runs on this replica: with a worker slot free here, the
 * change leases that step to the slot in its own transaction (its {@code STEP_STARTED} included),
 * and the slot calls it right after commit, without a claim, a NOTIFY or a wake-up; with none free
 * the step is queued. Used by approvals and rollbacks (which may take the urgent lane) and by
 * starts and the operator's commands (routine slots only).
 */
@Component
public class LocalStepStarts {

    private final JobLocks locks;
    private final StepRuns runs;
    private final WorkerSlots slots;

    LocalStepStarts(JobLocks locks, StepRuns runs, WorkerSlots slots) {
        this.locks = locks;
        this.runs = runs;
        this.slots = slots;
    }

    /**
     * Like {@link JobLocks#change(UUID, Function, Function)}, with a slot of this replica offered
     * to the first step {@code change} queues.
     *
     * @param urgent whether the slot may be one kept for urgent work (see {@link WorkerSlots#reserve})
     */
    public <T, V> JobLocks.Changed<T, V> change(
            UUID jobId, boolean urgent, Function<JobChange, T> change, Function<JobSnapshot, V> view) {
        JobLocks.Changed<Leased<T>, V> changed = slots.runHere(
                urgent,
                slot -> locks.change(
                        jobId,
                        locked -> {
                            slot.ifPresent(s ->
                                    locked.offerChain(s.owner(), locked.now().plus(s.lease())));
                            T result = change.apply(locked);
                            return new Leased<>(result, runs.startChained(locked));
                        },
                        view),
                leased -> leased.result().call());
        return new JobLocks.Changed<>(changed.result().result(), changed.view());
    }

    private record Leased<T>(T result, Optional<StepCall> call) {}
}
