package dev.ferry.database;

import java.time.Duration;

/**
 * Wakes one waiting loop (a dispatcher): something became due, or a slot came free. A wake that
 * comes before the wait is not lost, and many wakes before one wait count once.
 */
public class Wakeup {

    private boolean pending;

    public synchronized void wake() {
        pending = true;
        notifyAll();
    }

    /** A NOTIFY arrived on the loop's channel with {@code payload} ("" when none). */
    public void notified(String payload) {
        wake();
    }

    /** Waits until woken or {@code max} passes. */
    public synchronized void await(Duration max) throws InterruptedException {
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
