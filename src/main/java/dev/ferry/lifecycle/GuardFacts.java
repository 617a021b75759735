package dev.ferry.lifecycle;

/**
 * What the lifecycle's guards may look at, computed from the stored job before an event is fired.
 *
 * @param approvalQuorumReached the phase awaiting approval has as many valid approvals as it needs
 * @param anyStepStarted at least one step of the job has started (a rejection then pauses rather than cancels)
 * @param failedStepPresent a step failed and waits for an operator decision (retry or skip)
 * @param rollbackAvailable no irreversible step has started
 */
public record GuardFacts(
        boolean approvalQuorumReached, boolean anyStepStarted, boolean failedStepPresent, boolean rollbackAvailable) {

    public static final GuardFacts NONE = new GuardFacts(false, false, false, true);
}
