package dev.ferry.plan;

import java.util.List;

/**
 * What one phase runs.
 *
 * @param approval null when the phase needs no approval
 * @param notBefore null when the phase may start as soon as the one before it ends
 * @param window null when the phase may start at any time
 * @param alertRollback whether a firing alert may roll the job back during this phase; null leaves
 *     it to the service's default ({@code ferry.alerts.phases})
 */
public record PhaseSpec(
        List<StepSpec> steps,
        ApprovalPolicy approval,
        NotBefore notBefore,
        MaintenanceWindow window,
        Boolean alertRollback) {

    public static final PhaseSpec EMPTY = new PhaseSpec(List.of(), null);

    public PhaseSpec {
        steps = List.copyOf(steps);
    }

    public PhaseSpec(List<StepSpec> steps, ApprovalPolicy approval) {
        this(steps, approval, null, null, null);
    }

    public boolean requiresApproval() {
        return approval != null && approval.required() > 0;
    }

    public boolean isEmpty() {
        return steps.isEmpty() && !requiresApproval();
    }
}
