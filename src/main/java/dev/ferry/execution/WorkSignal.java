package dev.ferry.execution;

import dev.ferry.database.Wakeup;
import org.springframework.stereotype.Component;

/** Wakes this replica's dispatcher: work became due, or a worker slot came free. */
@Component
public class WorkSignal extends Wakeup {
}
