package dev.ferry.engine;

import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import java.time.Instant;

/**
 * One phase of a {@link Snapshot}: its stored state and what the plan says about it.
 *
 * @param quorumReached it has the live approvals it needs at the snapshot's time
 * @param notBefore the plan's delay after an earlier phase; null for none
 * @param window the plan's maintenance window; null for none
 */
public record PhaseSnapshot(
        Phase phase,
        PhaseStatus status,
        boolean requiresApproval,
        int approvalsRequired,
        int approvalRound,
        boolean quorumReached,
        Instant approvalRequestedAt,
        Instant earliestStart,
        Instant startedAt,
        Instant finishedAt,
        NotBefore notBefore,
        MaintenanceWindow window) {}
