package dev.ferry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.approval.Approval;
import dev.ferry.approval.ApprovalBinding;
import dev.ferry.approval.PhaseApprovals;
import dev.ferry.job.Compensations;
import dev.ferry.job.JobQueries;
import dev.ferry.job.JobSnapshot;
import dev.ferry.job.MigrationJob;
import dev.ferry.job.PhaseExecution;
import dev.ferry.job.ResourceLocks;
import dev.ferry.job.StepExecution;
import dev.ferry.plan.ApprovalPolicy;
import dev.ferry.plan.ParameterBinding;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StoredPlan;
import dev.ferry.preflight.PreflightRuns;
import dev.ferry.rehearsal.ExpectedDuration;
import dev.ferry.rehearsal.RehearsalDurations;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Builds {@link JobView}s from one consistent read of a job, its plan and its approvals. */
@Component
class JobViews {

    /** Bytes of JSON a step's output, error or compensation output may take in the view. */
    static final int BOUND = 2048;

    private final JobQueries queries;
    private final Compensations compensations;
    private final ResourceLocks resourceLocks;
    private final PhaseApprovals approvals;
    private final PlanCatalog plans;
    private final Clock clock;
    private final RehearsalDurations rehearsals;
    private final PreflightRuns preflightRuns;
    private final ObjectMapper json;

    JobViews(
            JobQueries queries,
            Compensations compensations,
            ResourceLocks resourceLocks,
            PhaseApprovals approvals,
            PlanCatalog plans,
            Clock clock,
            RehearsalDurations rehearsals,
            PreflightRuns preflightRuns,
            ObjectMapper json) {
        this.json = json;
        this.rehearsals = rehearsals;
        this.preflightRuns = preflightRuns;
        this.queries = queries;
        this.compensations = compensations;
        this.resourceLocks = resourceLocks;
        this.approvals = approvals;
        this.plans = plans;
        this.clock = clock;
    }

    JobView view(UUID jobId) {
        return queries.read(jobId, this::assemble);
    }

    /** The view of a job read in the caller's transaction (a read, or a change's after its writes). */
    JobView assemble(JobSnapshot snapshot) {
        MigrationJob job = snapshot.job();
        StoredPlan plan = plans.findById(job.planId()).orElseThrow();
        List<Approval> decisions = approvals.ofJob(job.id());
        Instant now = clock.instant();
        ApprovalBinding binding = ApprovalBinding.of(plan, job);
        Map<Phase, ExpectedDuration> expected = rehearsals.expected(plan.name());
        List<JobView.PhaseView> phases = job.phases().stream()
                .map(phase -> withExpectation(phaseView(job, phase, plan, decisions, binding, now), expected))
                .toList();
        List<String> allowed = snapshot.allowedCommands().stream()
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .sorted()
                .toList();
        return new JobView(
                job.id(),
                job.name(),
                new JobView.PlanRef(plan.name(), plan.version(), plan.sha256()),
                job.state(),
                job.currentPhase(),
                job.createdBy(),
                job.createdAt(),
                job.updatedAt(),
                job.startedAt(),
                job.finishedAt(),
                job.lastError(),
                ParameterBinding.redact(plan.document(), (ObjectNode) job.parameters()),
                binding.parametersSha256(),
                job.wakeAt(),
                job.waitingFor(),
                resourceLocks.heldBy(job.id()),
                snapshot.rollbackAvailable(),
                rollbackPlan(snapshot),
                allowed,
                phases,
                job.lastEventSeq(),
                job.rehearsal(),
                windowWarnings(plan, expected),
                preflightRuns.latest(job.id()).orElse(null));
    }

    private static JobView.PhaseView withExpectation(JobView.PhaseView phase, Map<Phase, ExpectedDuration> expected) {
        ExpectedDuration measured = expected.get(phase.phase());
        if (measured == null) {
            return phase;
        }
        return new JobView.PhaseView(
                phase.phase(),
                phase.status(),
                phase.approval(),
                phase.earliestStart(),
                phase.startedAt(),
                phase.finishedAt(),
                phase.steps(),
                measured.duration().toString(),
                new JobView.ExpectedFrom(measured.rehearsalJob(), measured.measuredAt()));
    }

    static List<JobView.WindowWarningView> windowWarnings(StoredPlan plan, Map<Phase, ExpectedDuration> expected) {
        return RehearsalDurations.windowWarnings(plan.document(), expected).stream()
                .map(w -> new JobView.WindowWarningView(
                        w.phase(),
                        w.expectedDuration().toString(),
                        w.windowLength().toString(),
                        w.rehearsalJob(),
                        w.message()))
                .toList();
    }

    private List<JobView.Compensation> rollbackPlan(JobSnapshot snapshot) {
        if (!snapshot.rollbackAvailable()) {
            return List.of();
        }
        return compensations.pending(snapshot.job()).stream()
                .map(s -> new JobView.Compensation(s.phase(), s.stepId(), s.action()))
                .toList();
    }

    private JobView.PhaseView phaseView(
            MigrationJob job,
            PhaseExecution phase,
            StoredPlan plan,
            List<Approval> decisions,
            ApprovalBinding binding,
            Instant now) {
        ApprovalPolicy policy = plan.document().phase(phase.phase()).approval();
        JobView.ApprovalView approval = null;
        if (phase.requiresApproval() && policy != null) {
            List<JobView.DecisionView> mine = decisions.stream()
                    .filter(d -> d.phaseExecutionId().equals(phase.id()))
                    .map(d -> new JobView.DecisionView(
                            d.actor(),
                            d.decision().name(),
                            d.comment(),
                            d.createdAt(),
                            d.expiresAt(),
                            d.round() == phase.approvalRound() && d.countsAt(now, binding),
                            d.round(),
                            d.planSha256(),
                            d.parametersSha256(),
                            d.previewSha256(),
                            d.previewSha256() == null ? null : previewHref(job.id(), d.previewSha256())))
                    .toList();
            int valid = (int) mine.stream()
                    .filter(JobView.DecisionView::counts)
                    .map(JobView.DecisionView::actor)
                    .distinct()
                    .count();
            approval = new JobView.ApprovalView(
                    policy.required(),
                    policy.roles(),
                    policy.separationOfDuties(),
                    policy.expiresAfter() == null ? null : policy.expiresAfter().toString(),
                    phase.approvalRound(),
                    phase.approvalRequestedAt(),
                    valid,
                    mine);
        }
        List<JobView.StepView> steps = job.stepsOf(phase.phase()).stream()
                .map(step -> stepView(job.id(), step))
                .toList();
        return new JobView.PhaseView(
                phase.phase(),
                phase.status(),
                approval,
                phase.earliestStart(),
                phase.startedAt(),
                phase.finishedAt(),
                steps,
                null,
                null);
    }

    static String previewHref(UUID jobId, String sha256) {
        return "/api/v1/jobs/" + jobId + "/previews/" + sha256;
    }

    private JobView.StepView stepView(UUID jobId, StepExecution step) {
        Map<String, String> links = new LinkedHashMap<>();
        String base = "/api/v1/jobs/" + jobId + "/steps/" + step.stepId() + "/";
        JsonNode output = bounded(step.output(), base, "output", links);
        JsonNode error = bounded(step.error(), base, "error", links);
        JsonNode compensationOutput = bounded(step.compensationOutput(), base, "compensation-output", links);
        return new JobView.StepView(
                step.stepId(),
                step.action(),
                step.status(),
                step.attempt(),
                step.maxAttempts(),
                step.irreversible(),
                step.startedAt(),
                step.finishedAt(),
                step.nextRunAt(),
                step.message(),
                output,
                error,
                step.skipReason(),
                compensationOutput,
                step.compensatedAt(),
                links.isEmpty() ? null : links);
    }

    /** {@code node} if it is at most {@link #BOUND} bytes as JSON; otherwise null and a link to it. */
    private JsonNode bounded(JsonNode node, String base, String part, Map<String, String> links) {
        if (node == null || node.isNull()) {
            return node;
        }
        try {
            if (json.writeValueAsBytes(node).length <= BOUND) {
                return node;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a step's " + part, e);
        }
        links.put(part, base + part);
        return null;
    }
}
