package dev.ferry.job;

import java.time.Instant;

/**
 * Whether a phase has the approvals it needs (port; the approval capability implements it).
 * Counts only live approvals of the phase's current round that have not expired at {@code now}.
 */
public interface ApprovalQuorum {

    boolean reached(PhaseExecution phase, Instant now);
}
