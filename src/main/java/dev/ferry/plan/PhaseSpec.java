package dev.ferry.plan;

import java.util.List;

/**
 * What one phase runs.
 *
 * @param approval null when the phase needs no approval
 * @param notBefore null when the phase may start as soon as the one before it ends
 * @param window null when the phase may start at any time
 */
public record PhaseSpec(List<StepSpec> steps, ApprovalPolicy approval, NotBefore notBefore, MaintenanceWindow window) {

    public static final PhaseSpec EMPTY = new PhaseSpec(List.of(), null);

    public PhaseSpec {
        steps = List.copyOf(steps);
    }

    public PhaseSpec(List<StepSpec> steps, ApprovalPolicy approval) {
        this(steps, approval, null, null);
    }

    public boolean requiresApproval() {
        return approval != null && approval.required() > 0;
    }

    public boolean isEmpty() {
        return steps.isEmpty() && !requiresApproval();
    }
}
