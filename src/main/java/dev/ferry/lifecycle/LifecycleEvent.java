package dev.ferry.lifecycle;

/**
 * What can happen to a job. Commands come from people or alerting systems over the API; the other
 * events are raised by the engine as work progresses.
 */
public enum LifecycleEvent {
    START(true),
    PAUSE(true),
    RESUME(true),
    RETRY(true),
    SKIP_STEP(true),
    CANCEL(true),
    ROLLBACK(true),
    APPROVE(true),
    REJECT(true),
    AWAIT_APPROVAL(false),
    WAIT(false),
    WAKE(false),
    STEP_FAILED(false),
    COMPLETE(false),
    ROLLBACK_COMPLETED(false);

    private final boolean command;

    LifecycleEvent(boolean command) {
        this.command = command;
    }

    /** Whether a caller can ask for it (and so whether a 409 lists it as an alternative). */
    public boolean isCommand() {
        return command;
    }
}
