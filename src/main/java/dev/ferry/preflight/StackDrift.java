package dev.ferry.preflight;

/**
 * Port: has a CloudFormation stack drifted from its template? Starts a drift detection and waits a
 * bounded time for it; detection only reads the stack.
 */
public interface StackDrift {

    Outcome detect(String region, String roleArn, String stackName);

    enum Status {
        IN_SYNC,
        DRIFTED,
        UNKNOWN
    }

    /** {@code detail} names the drifted resources, or why the status is unknown. */
    record Outcome(Status status, String detail) {}
}
