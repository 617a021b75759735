package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link WorkerSlots#runHere}: a slot reserved for a change is used exactly once, whatever the
 * change came to. A slot that is neither run nor given back would be lost to the replica for good.
 */
class WorkerSlotsTest {

    /** Slots of a pretend replica (no workers needed): records what happened to each. */
    private static final class Recorded implements WorkerSlots {

        final List<String> log = new ArrayList<>();
        final boolean free;

        Recorded(boolean free) {
            this.free = free;
        }

        @Override
        public Optional<Slot> reserve(boolean urgent) {
            log.add("reserve " + (urgent ? "urgent" : "routine"));
            if (!free) {
                return Optional.empty();
            }
            return Optional.of(new Slot() {
                @Override
                public String owner() {
                    return "here";
                }

                @Override
                public Duration lease() {
                    return Duration.ofMinutes(1);
                }

                @Override
                public void run(StepCall call) {
                    log.add("run " + call.claim().stepId());
                }

                @Override
                public void release() {
                    log.add("release");
                }
            });
        }
    }

    private static final StepCall CALL =
            new StepCall(new ClaimedStep(UUID.randomUUID(), UUID.randomUUID(), "here", 1), null, null, false, null);

    @Test
    void theLeasedStepRunsInTheSlotAfterTheChangeReturned() {
        Recorded slots = new Recorded(true);
        String result = slots.runHere(
                false,
                slot -> {
                    assertThat(slot).isPresent();
                    slots.log.add("change");
                    return "done";
                },
                done -> Optional.of(CALL));
        assertThat(result).isEqualTo("done");
        assertThat(slots.log)
                .containsExactly(
                        "reserve routine", "change", "run " + CALL.claim().stepId());
    }

    @Test
    void aChangeThatLeasedNothingGivesTheSlotBack() {
        Recorded slots = new Recorded(true);
        slots.runHere(true, slot -> "nothing leased", nothing -> Optional.empty());
        assertThat(slots.log).containsExactly("reserve urgent", "release");
    }

    @Test
    void aChangeThatFailedGivesTheSlotBackAndItsErrorGoesOn() {
        Recorded slots = new Recorded(true);
        assertThatThrownBy(() -> slots.runHere(
                        false,
                        slot -> {
                            throw new IllegalStateException("refused");
                        },
                        never -> Optional.of(CALL)))
                .hasMessage("refused");
        assertThat(slots.log).containsExactly("reserve routine", "release");
    }

    @Test
    void withNoSlotFreeTheChangeRunsWithoutOneAndNothingIsRunHere() {
        Recorded slots = new Recorded(false);
        String result = slots.runHere(
                false,
                slot -> {
                    assertThat(slot).isEmpty();
                    return "queued";
                },
                queued -> Optional.empty());
        assertThat(result).isEqualTo("queued");
        assertThat(slots.log).containsExactly("reserve routine");
    }

    @Test
    void insideACallersTransactionTheStepIsCalledOnlyOnceThatCommitted() {
        Recorded slots = new Recorded(true);
        List<String> before = completeCallersTransaction(slots, TransactionSynchronization.STATUS_COMMITTED);
        assertThat(before).as("nothing called before the commit").containsExactly("reserve routine");
        assertThat(slots.log)
                .containsExactly("reserve routine", "run " + CALL.claim().stepId());
    }

    @Test
    void insideACallersTransactionThatRolledBackTheSlotIsGivenBack() {
        Recorded slots = new Recorded(true);
        completeCallersTransaction(slots, TransactionSynchronization.STATUS_ROLLED_BACK);
        assertThat(slots.log).containsExactly("reserve routine", "release");
    }

    /** Runs a leasing change inside a pretend caller's transaction, then ends that; the log before the end. */
    private static List<String> completeCallersTransaction(Recorded slots, int status) {
        TransactionSynchronizationManager.initSynchronization();
        try {
            slots.runHere(false, slot -> "leased", leased -> Optional.of(CALL));
            List<String> before = List.copyOf(slots.log);
            TransactionSynchronizationManager.getSynchronizations().forEach(s -> s.afterCompletion(status));
            return before;
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }
}
