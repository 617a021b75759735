package dev.ferry.campaign;

/** A campaign's state. The driver moves RUNNING, SOAKING and ROLLING_BACK campaigns; people move the others. */
public enum CampaignState {
    RUNNING,
    /** The current wave waits for its approval before its first job. */
    AWAITING_APPROVAL,
    /** The current wave is done; the next waits until its soak time has passed. */
    SOAKING,
    /** An operator paused it: no job starts, running jobs go on. */
    PAUSED,
    /** The failure threshold of the current wave was reached: no job starts until an operator resumes. */
    HALTED,
    ROLLING_BACK,
    SUCCEEDED,
    CANCELLED,
    ROLLED_BACK;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == CANCELLED || this == ROLLED_BACK;
    }
}
