package dev.ferry.execution;

import dev.ferry.database.Wakeup;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/** Wakes this replica's dispatcher: work became due, or a worker slot came free. */
@Component
public class WorkSignal extends Wakeup {

    private volatile BooleanSupplier canTakeWork = () -> false;

    /** Set by the dispatcher while it runs: whether it has a free worker slot now. */
    void capacity(BooleanSupplier canTakeWork) {
        this.canTakeWork = canTakeWork;
    }

    /** Whether this replica will claim newly queued work itself, without telling the others. */
    boolean canTakeWork() {
        return canTakeWork.getAsBoolean();
    }
}
