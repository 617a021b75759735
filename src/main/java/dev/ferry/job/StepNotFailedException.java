package dev.ferry.job;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.StepStatus;
import java.util.Map;

/** Only a failed step can be skipped. */
public class StepNotFailedException extends FerryException {

    private final StepStatus status;

    public StepNotFailedException(String stepId, StepStatus status) {
        super(
                "step-not-failed",
                409,
                "Step is not failed",
                "Step '" + stepId + "' is " + status + "; only a FAILED step can be skipped");
        this.status = status;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("stepStatus", status.name());
    }
}
