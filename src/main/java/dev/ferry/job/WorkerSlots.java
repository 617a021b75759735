package dev.ferry.job;

import java.time.Duration;
import java.util.Optional;

/**
 * This replica's worker slots, for a change that makes a step ready and wants it run here at once
 * (port; execution implements it): an approval leases the phase's first step to a reserved slot
 * in its own transaction, so the step starts without a claim, a NOTIFY or a wake-up.
 */
public interface WorkerSlots {

    /** Reserves a free slot; empty when none is free (or workers are off or stopping). */
    Optional<Slot> reserve();

    /** A reserved slot: {@link #run} or {@link #release} it, exactly once. */
    interface Slot {

        /** The lease owner to write into the step. */
        String owner();

        Duration lease();

        /** Calls the step, started and committed already, then records its result. */
        void run(StepCall call);

        void release();
    }
}
