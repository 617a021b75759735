package dev.ferry.approval;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.Phase;
import java.util.Map;

/** The phase is not waiting for a decision (not reached yet, already running, or the job ended). */
public class ApprovalNotOpenException extends FerryException {

    private final PhaseStatus phaseStatus;
    private final JobState jobState;

    public ApprovalNotOpenException(Phase phase, PhaseStatus phaseStatus, JobState jobState) {
        super(
                "approval-not-open",
                409,
                "Phase is not awaiting approval",
                "Phase " + phase + " is " + phaseStatus + " (job " + jobState
                        + "); decisions are taken only while it is " + PhaseStatus.AWAITING_APPROVAL);
        this.phaseStatus = phaseStatus;
        this.jobState = jobState;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("phaseStatus", phaseStatus.name(), "currentState", jobState.name());
    }
}
