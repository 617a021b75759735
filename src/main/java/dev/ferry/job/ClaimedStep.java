package dev.ferry.job;

import java.util.UUID;

/** A step a worker has leased: {@code owner} and {@code token} fence what it may write back. */
public record ClaimedStep(UUID stepId, UUID jobId, String owner, long token) {}
