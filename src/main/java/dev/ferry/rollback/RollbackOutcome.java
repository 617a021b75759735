package dev.ferry.rollback;

import dev.ferry.lifecycle.JobState;

/**
 * What a rollback request did.
 *
 * @param duplicate a rollback was already under way or done: nothing changed, the request was recorded
 */
public record RollbackOutcome(boolean duplicate, JobState state) {}
