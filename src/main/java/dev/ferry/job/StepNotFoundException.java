package dev.ferry.job;

import dev.ferry.common.FerryException;
import java.util.UUID;

/** The job has no step with that id. */
public class StepNotFoundException extends FerryException {

    public StepNotFoundException(UUID jobId, String stepId) {
        super("step-not-found", 404, "Step not found", "Job " + jobId + " has no step '" + stepId + "'");
    }
}
