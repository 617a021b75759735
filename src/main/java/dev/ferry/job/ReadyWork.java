package dev.ferry.job;

/**
 * Tells workers that steps became due (port; execution implements it). Called inside the
 * transaction that queued the work: the signal must reach workers only once that commits.
 */
public interface ReadyWork {

    default void announce() {
        announce(false);
    }

    /** @param urgent someone waits for it (an approver, a rollback): workers stop running chains to take it */
    void announce(boolean urgent);
}
