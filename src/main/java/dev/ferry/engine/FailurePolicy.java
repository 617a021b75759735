package dev.ferry.engine;

import java.time.Duration;

/** What a failed attempt of a step leads to; decided by {@link FailurePolicies}. */
public sealed interface FailurePolicy {

    /** Another attempt after {@code delay}: the error may pass and attempts remain. */
    record Retry(Duration delay) implements FailurePolicy {}

    /** The step failed for good; the job pauses for an operator (retry, skip, roll back). */
    record Pause(String reason) implements FailurePolicy {}

    /**
     * The step failed for good and the plan says to roll back at once.
     *
     * @param trigger labels the rollback metric ({@code observe-gate}, {@code step-failure})
     */
    record RollBack(String reason, String trigger) implements FailurePolicy {}

    /** A compensation failed for good: it stays COMPENSATING with its error and the rollback waits for an operator. */
    record CompensationStuck(String reason) implements FailurePolicy {}

    /** A forward step left to finish during a rollback failed: no retry, the saga goes on without it. */
    record GiveUp() implements FailurePolicy {}
}
