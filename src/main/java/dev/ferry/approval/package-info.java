/** Approval of phases: quorum, roles, separation of duties, expiry. */
package dev.ferry.approval;
