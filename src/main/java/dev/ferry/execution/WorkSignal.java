package dev.ferry.execution;

import java.time.Duration;
import org.springframework.stereotype.Component;

/** Wakes this replica's dispatcher: work became due, or a worker slot came free. */
@Component
public class WorkSignal {

    private boolean pending;

    public synchronized void wake() {
        pending = true;
        notifyAll();
    }

    /** Waits until woken or {@code max} passes; a wake that came before the wait is not lost. */
    synchronized void await(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!pending) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        pending = false;
    }
}
