/**
 * Approval of phases: quorum of distinct approvers, roles, separation of duties (never the job's
 * creator), expiry, and the binding of each approval to the plan version and the job's (redacted)
 * parameters it was given for ({@link dev.ferry.approval.ApprovalBinding}).
 */
package dev.ferry.approval;
