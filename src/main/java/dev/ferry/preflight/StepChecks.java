package dev.ferry.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.job.LockProperties;
import dev.ferry.job.ResourceLocks;
import dev.ferry.plan.CompensationSpec;
import dev.ferry.plan.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The checks of one step and its compensation: parameters resolve, the handler's own read-only
 * checks, the locks on what it changes, drift of the stack a drift step checks; and the IAM
 * actions both will need, collected for {@link PermissionCheck}.
 */
@Component
class StepChecks {

    /** Steps of this action check a stack's drift; preflight checks it before the window. */
    static final String DETECT_DRIFT = "aws.cloudformation.detectDrift";

    private final ActionRegistry actions;
    private final ResourceLocks locks;
    private final StackDrift drift;
    private final LockProperties lockPolicy;

    StepChecks(ActionRegistry actions, ResourceLocks locks, StackDrift drift, LockProperties lockPolicy) {
        this.actions = actions;
        this.locks = locks;
        this.drift = drift;
        this.lockPolicy = lockPolicy;
    }

    /**
     * @param changedEarlier the resources earlier steps change, by step id; this step adds its own.
     *     What an earlier step creates or changes cannot be judged from how it is now
     */
    List<PreflightReport.Finding> check(
            JobPreflight.Subject job,
            StepSpec step,
            Set<String> planSteps,
            PermissionCheck.Needs needs,
            Map<String, String> changedEarlier) {
        List<PreflightReport.Finding> findings = new ArrayList<>();
        Optional<Resolution> resolved =
                part(job, step.id(), "step", step.action(), step.with(), planSteps, needs, findings);
        if (resolved.isPresent()) {
            Set<String> touched = resources(step.action(), resolved.get().with());
            findings.replaceAll(f -> earlier(f, touched, changedEarlier));
            touched.forEach(r -> changedEarlier.putIfAbsent(r, step.id()));
        }
        if (step.compensate() != null) {
            CompensationSpec compensation = step.compensate();
            part(
                    job,
                    step.id(),
                    "compensation",
                    compensation.action(),
                    compensation.with(),
                    planSteps,
                    needs,
                    findings);
        } else if (resolved.isPresent()) {
            ActionHandler handler = actions.find(step.action()).orElseThrow();
            if (handler.compensable()) {
                needs.add(
                        step.id(),
                        "compensation",
                        resolved.get().with(),
                        calls(() ->
                                handler.plannedCompensationCalls(resolved.get().with())));
            }
        }
        if (resolved.isPresent() && resolved.get().complete()) {
            JsonNode with = resolved.get().with();
            ActionHandler handler = actions.find(step.action()).orElseThrow();
            locks(job.id(), step.id(), handler, with, findings);
            if (DETECT_DRIFT.equals(step.action())) {
                findings.add(drift(step.id(), with));
            }
        }
        return findings;
    }

    /** One runnable part (the step, or its compensation); empty when its action is unknown. */
    private Optional<Resolution> part(
            JobPreflight.Subject job,
            String stepId,
            String part,
            String action,
            JsonNode with,
            Set<String> planSteps,
            PermissionCheck.Needs needs,
            List<PreflightReport.Finding> findings) {
        Optional<ActionHandler> handler = actions.find(action);
        if (handler.isEmpty()) {
            findings.add(PreflightReport.Finding.of(
                    stepId, part, PreflightFinding.blocking("action", action, "no action named " + action)));
            return Optional.empty();
        }
        Resolution resolution = Resolution.of(with, job.scope(), planSteps);
        resolution
                .unresolvable()
                .forEach(problem -> findings.add(PreflightReport.Finding.of(
                        stepId,
                        part,
                        PreflightFinding.blocking("parameters", action, "a template cannot be resolved: " + problem))));
        List<PlannedCall> calls = calls(() -> handler.get().plannedCalls(resolution.with()));
        needs.add(stepId, part, resolution.with(), calls);
        if (!resolution.pendingSteps().isEmpty()) {
            findings.add(PreflightReport.Finding.of(
                    stepId,
                    part,
                    PreflightFinding.ok(
                            "parameters",
                            action,
                            "needs the output of " + resolution.pendingSteps() + ", known once they have run; "
                                    + (calls.isEmpty() ? "" : "its resources are checked then"))));
        } else if (resolution.complete()) {
            inspect(handler.get(), resolution.with())
                    .forEach(f -> findings.add(PreflightReport.Finding.of(stepId, part, f)));
        }
        return Optional.of(resolution);
    }

    /** A resource an earlier step changes may not exist or be as it will be yet: not a reason to block. */
    private static PreflightReport.Finding earlier(
            PreflightReport.Finding finding, Set<String> touched, Map<String, String> changedEarlier) {
        boolean aboutState =
                finding.check().equals("resource-exists") || finding.check().equals("resource-state");
        if (finding.severity() != PreflightFinding.Severity.BLOCKING || !aboutState) {
            return finding;
        }
        return touched.stream()
                .filter(changedEarlier::containsKey)
                .findFirst()
                .map(r -> new PreflightReport.Finding(
                        finding.step(),
                        finding.part(),
                        PreflightFinding.Severity.WARNING,
                        finding.check(),
                        finding.subject(),
                        finding.reason() + " (now; step " + changedEarlier.get(r) + " changes " + r
                                + " before, so the step checks it again when it runs)"))
                .orElse(finding);
    }

    private Set<String> resources(String action, JsonNode with) {
        try {
            return actions.find(action).map(h -> h.resources(with)).orElse(Set.of());
        } catch (RuntimeException unknownYet) {
            return Set.of();
        }
    }

    /** A handler's checks; one that breaks is a reason to look, not a reason for preflight itself to fail. */
    private static List<PreflightFinding> inspect(ActionHandler handler, JsonNode with) {
        try {
            return handler.preflight(with);
        } catch (RuntimeException e) {
            return List.of(PreflightFinding.warning(
                    "check-failed",
                    handler.name(),
                    "the check could not run: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void locks(
            UUID jobId, String stepId, ActionHandler handler, JsonNode with, List<PreflightReport.Finding> findings) {
        Set<String> resources = handler.resources(with);
        Map<String, UUID> held = locks.heldByOthers(jobId, resources);
        // With WAIT the job would wait for the holder at FREEZE, as configured; with REFUSE it cannot start.
        boolean refuse = lockPolicy.onConflict() == LockProperties.OnConflict.REFUSE;
        held.forEach((resource, holder) -> findings.add(PreflightReport.Finding.of(
                stepId,
                "step",
                refuse
                        ? PreflightFinding.blocking("lock", resource, "held by job " + holder + " until it ends")
                        : PreflightFinding.warning(
                                "lock",
                                resource,
                                "held by job " + holder
                                        + " until it ends: this job will wait for it when it gets there"))));
        if (held.isEmpty() && !resources.isEmpty()) {
            findings.add(PreflightReport.Finding.of(
                    stepId,
                    "step",
                    PreflightFinding.ok("lock", String.join(", ", resources), "no other job holds it")));
        }
    }

    private PreflightReport.Finding drift(String stepId, JsonNode with) {
        String stack = with.path("stackName").asText();
        StackDrift.Outcome outcome = drift.detect(
                with.path("region").asText(null), with.path("roleArn").asText(null), stack);
        String subject = "cloudformation:stack:" + stack;
        PreflightFinding finding =
                switch (outcome.status()) {
                    case IN_SYNC -> PreflightFinding.ok("drift", subject, "the stack is IN_SYNC with its template");
                    case DRIFTED -> PreflightFinding.blocking(
                            "drift",
                            subject,
                            "the stack has drifted from its template: " + outcome.detail()
                                    + "; reconcile it before migrating");
                    case UNKNOWN -> PreflightFinding.warning(
                            "drift", subject, "drift not checked: " + outcome.detail());
                };
        return PreflightReport.Finding.of(stepId, "step", finding);
    }

    /** A handler that cannot list its calls for half-resolved parameters lists none; permissions then say less. */
    private static List<PlannedCall> calls(Supplier<List<PlannedCall>> planned) {
        try {
            return planned.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
