package dev.ferry.job;

import java.util.UUID;

/** The job a create request led to; {@code created} is false when an idempotent replay found it. */
public record CreatedJob(UUID id, boolean created) {}
