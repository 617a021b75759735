package dev.ferry.plan;

import java.time.Duration;
import java.util.List;

/**
 * Who must approve a phase before its first step.
 *
 * @param required how many distinct approvers
 * @param roles an approver needs one of these roles; empty means anyone
 * @param separationOfDuties the job's creator may not approve (four-eyes); true unless the plan says otherwise
 * @param expiresAfter an approval older than this no longer counts; null means it never expires
 */
public record ApprovalPolicy(int required, List<String> roles, boolean separationOfDuties, Duration expiresAfter) {

    public ApprovalPolicy {
        roles = List.copyOf(roles);
    }
}
