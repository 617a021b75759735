package dev.ferry.notify;

import java.time.Duration;
import org.springframework.stereotype.Component;

/** Wakes this replica's delivery loop: a notification was committed, or a sending slot came free. */
@Component
class DeliverySignal {

    private boolean pending;

    synchronized void wake() {
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
