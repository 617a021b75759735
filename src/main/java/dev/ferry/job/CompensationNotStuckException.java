package dev.ferry.job;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.StepStatus;
import java.util.Map;

/** Only a compensation that failed for good, in a job rolling back, can be retried or marked done by hand. */
public class CompensationNotStuckException extends FerryException {

    private final StepStatus status;
    private final JobState state;

    public CompensationNotStuckException(String stepId, StepStatus status, JobState state) {
        super(
                "compensation-not-failed",
                409,
                "Compensation has not failed",
                "Step '" + stepId + "' is " + status + " in a job " + state
                        + "; only a compensation that failed for good (COMPENSATING with an error, job ROLLING_BACK) "
                        + "can be retried or marked done");
        this.status = status;
        this.state = state;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("stepStatus", status.name(), "currentState", state.name());
    }
}
