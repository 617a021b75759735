package dev.ferry.job;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.Phase;
import java.util.Map;

/** A phase's start time can only be changed before it starts. */
public class PhaseAlreadyStartedException extends FerryException {

    private final PhaseStatus status;

    public PhaseAlreadyStartedException(Phase phase, PhaseStatus status) {
        super(
                "phase-already-started",
                409,
                "Phase already started",
                "Phase " + phase + " is " + status + "; its start time can only change while it is PENDING");
        this.status = status;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("phaseStatus", status.name());
    }
}
