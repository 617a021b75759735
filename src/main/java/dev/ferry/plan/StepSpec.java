package dev.ferry.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * One step of a phase.
 *
 * @param with the action's parameters, possibly holding {@code ${...}} templates
 * @param compensate null when the plan names no compensation
 * @param timeout how long the step may take over all its polls; null means no limit
 * @param estimate how long the step is expected to take, for maintenance windows; null when unknown
 * @param irreversible once started, the job can no longer be rolled back
 * @param rollbackOnFailure when the step fails for good the job rolls back at once instead of pausing
 */
public record StepSpec(
        String id,
        String action,
        ObjectNode with,
        CompensationSpec compensate,
        Duration timeout,
        Duration estimate,
        RetryPolicy retry,
        boolean irreversible,
        String description,
        boolean rollbackOnFailure) {

    public StepSpec(
            String id,
            String action,
            ObjectNode with,
            CompensationSpec compensate,
            Duration timeout,
            RetryPolicy retry,
            boolean irreversible,
            String description) {
        this(id, action, with, compensate, timeout, null, retry, irreversible, description, false);
    }
}
