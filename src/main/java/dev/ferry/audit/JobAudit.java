package dev.ferry.audit;

import java.util.List;
import java.util.UUID;

/**
 * A job's whole audit chain as stored, the head its job row recorded ({@code headHash} in hex, worth
 * recording outside Ferry), and whether the chain verifies.
 */
public record JobAudit(
        UUID jobId, long headSeq, String headHash, List<ChainedEvent> events, ChainVerification verification) {}
