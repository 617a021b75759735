package dev.ferry.plan;

import java.util.List;

/**
 * What one phase runs.
 *
 * @param approval null when the phase needs no approval
 */
public record PhaseSpec(List<StepSpec> steps, ApprovalPolicy approval) {

    public static final PhaseSpec EMPTY = new PhaseSpec(List.of(), null);

    public PhaseSpec {
        steps = List.copyOf(steps);
    }

    public boolean requiresApproval() {
        return approval != null && approval.required() > 0;
    }

    public boolean isEmpty() {
        return steps.isEmpty() && !requiresApproval();
    }
}
