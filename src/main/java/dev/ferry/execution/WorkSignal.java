package dev.ferry.execution;

import dev.ferry.database.Wakeup;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Wakes this replica's dispatcher: work became due, or a worker slot came free. Also says whether
 * urgent work (an approved phase, a rollback) was queued since the last claim, so that workers
 * running chains of routine steps give their slots back to it.
 */
@Component
public class WorkSignal extends Wakeup {

    /** The NOTIFY payload announcing urgent work. */
    static final String URGENT = "urgent";

    private volatile boolean urgentPending;

    private volatile Predicate<Boolean> canTakeWork = urgent -> false;

    /** Set by the dispatcher while it runs: whether it has a free worker slot now, for urgent work or any. */
    void capacity(Predicate<Boolean> canTakeWork) {
        this.canTakeWork = canTakeWork;
    }

    @Override
    public void notified(String payload) {
        if (URGENT.equals(payload)) {
            urgentPending = true;
        }
        super.notified(payload);
    }

    void urgentQueued() {
        urgentPending = true;
        wake();
    }

    /** Whether urgent work may be waiting for a slot: chains stop until the next claim. */
    boolean urgentWaiting() {
        return urgentPending;
    }

    /** Called before each claim, which takes urgent work first. */
    void claiming() {
        urgentPending = false;
    }

    /** Whether this replica will claim newly queued work ({@code urgent} or not) itself, without telling the others. */
    boolean canTakeWork(boolean urgent) {
        return canTakeWork.test(urgent);
    }
}
