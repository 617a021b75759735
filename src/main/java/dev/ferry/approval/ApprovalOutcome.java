package dev.ferry.approval;

/**
 * What an approval or rejection did.
 *
 * @param duplicate the caller had already approved this round: nothing changed
 * @param approvals valid approvals of the round after this one
 * @param phaseStarted the quorum was reached and the phase moved on
 */
public record ApprovalOutcome(boolean duplicate, int approvals, int required, boolean phaseStarted) {}
