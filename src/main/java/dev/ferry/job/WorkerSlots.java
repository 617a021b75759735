package dev.ferry.job;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This replica's worker slots, for a change that makes a step ready and wants it run here at once
 * (port; execution implements it): see {@link LocalStepStarts}, whose changes lease their first
 * step to a reserved slot in their own transaction, so the step starts without a claim, a NOTIFY
 * or a wake-up.
 */
public interface WorkerSlots {

    /**
     * Reserves a free slot; empty when none is free (or workers are off or stopping).
     *
     * @param urgent whether the slot may be one kept for urgent work (an approved phase's step); a
     *     routine step (a start's) takes only a routine slot, so urgent work always finds room
     */
    Optional<Slot> reserve(boolean urgent);

    /**
     * Runs {@code change} (a job change that may lease a step to the slot it is given, see {@link
     * JobChange#offerChain}) with a slot reserved; once its transaction has committed, runs the
     * step it leased in that slot, or gives the slot back.
     *
     * @param leased the call of the step {@code change}'s result leased, if any
     */
    default <R> R runHere(boolean urgent, Function<Optional<Slot>, R> change, Function<R, Optional<StepCall>> leased) {
        Optional<Slot> slot = reserve(urgent);
        Optional<StepCall> call = Optional.empty();
        try {
            R result = change.apply(slot);
            call = leased.apply(result);
            return result;
        } finally {
            slot.ifPresent(leasedTo(call));
        }
    }

    private static Consumer<Slot> leasedTo(Optional<StepCall> call) {
        return slot -> {
            if (call.isEmpty()) {
                slot.release();
            } else if (TransactionSynchronizationManager.isSynchronizationActive()) {
                // The change joined its caller's transaction (a campaign's launch): the step's lease
                // and STEP_STARTED commit with that, later. It is called only once they have, and
                // the slot is given back if they never do.
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        if (status == STATUS_COMMITTED) {
                            slot.run(call.get());
                        } else {
                            slot.release();
                        }
                    }
                });
            } else {
                slot.run(call.get());
            }
        };
    }

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
