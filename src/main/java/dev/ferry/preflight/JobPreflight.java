package dev.ferry.preflight;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.PreflightFinding;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.job.JobChange;
import dev.ferry.job.JobHistoryClosedException;
import dev.ferry.job.JobLocks;
import dev.ferry.job.JobManagement;
import dev.ferry.job.JobQueries;
import dev.ferry.job.JobSnapshot;
import dev.ferry.job.SecretValues;
import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.StepSpec;
import dev.ferry.plan.TemplateScope;
import dev.ferry.rehearsal.RehearsalDurations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Runs a job's preflight and keeps the result: each step's parameters, resources (its own
 * read-only {@link ActionHandler#preflight} and its compensation's), permissions, drift and locks
 * ({@link StepChecks}), then windows and timers ({@link WindowCheck}). Never changes AWS. Also the
 * start that runs it first.
 */
@Component
public class JobPreflight {

    private final JobQueries queries;
    private final PlanCatalog plans;
    private final StepChecks stepChecks;
    private final PermissionCheck permissions;
    private final PreflightRuns runs;
    private final JobLocks jobLocks;
    private final JobManagement management;
    private final Clock clock;
    private final RehearsalDurations rehearsals;

    JobPreflight(
            JobQueries queries,
            PlanCatalog plans,
            StepChecks stepChecks,
            PermissionCheck permissions,
            PreflightRuns runs,
            JobLocks jobLocks,
            JobManagement management,
            Clock clock,
            RehearsalDurations rehearsals) {
        this.rehearsals = rehearsals;
        this.queries = queries;
        this.plans = plans;
        this.stepChecks = stepChecks;
        this.permissions = permissions;
        this.runs = runs;
        this.jobLocks = jobLocks;
        this.management = management;
        this.clock = clock;
    }

    /** What a job looks like to preflight: copied out of the read transaction, since AWS calls follow. */
    record Subject(UUID id, JobState state, PlanDocument plan, TemplateScope scope) {}

    /**
     * Runs every check, stores the report and records it in the timeline; the report blocks or not.
     *
     * @throws JobHistoryClosedException for a job that has ended: its timeline takes no more
     *     entries, and a preflight of something that will never run again checks nothing
     */
    public PreflightReport run(UUID jobId, Actor actor) {
        Subject job = subject(jobId);
        if (job.state().isTerminal()) {
            throw new JobHistoryClosedException(jobId, job.state());
        }
        PreflightReport report = check(job, actor);
        jobLocks.change(jobId, change -> {
            store(change, report, actor);
            return null;
        });
        return report;
    }

    /**
     * Starts the job after a preflight without blocking findings, or without one when the operator
     * says why ({@code skip}; the reason goes into the timeline). A job that is not CREATED is left
     * to the start command to refuse: checking it first would only delay the 409. The report and
     * the start commit in one transaction; a start refused there still keeps its report.
     */
    public void start(UUID jobId, Actor actor, String reason, boolean skip) {
        start(jobId, actor, reason, skip, null);
    }

    /**
     * Like {@link #start(UUID, Actor, String, boolean)}; returns {@code view} of the job as the start
     * left it, built in the start's own transaction.
     */
    public <V> V start(UUID jobId, Actor actor, String reason, boolean skip, Function<JobSnapshot, V> view) {
        Subject job = subject(jobId);
        if (job.state() != JobState.CREATED) {
            return management.start(jobId, actor, reason, change -> {}, view);
        }
        Consumer<JobChange> record;
        if (skip) {
            record = change -> change.record(JobEventDraft.of(JobEventType.PREFLIGHT_SKIPPED, actor.name())
                    .reason(reason));
        } else {
            PreflightReport report = check(job, actor);
            record = change -> store(change, report, actor);
            // Held locks alone are refused by the start itself, as resource-locked naming the holder.
            if (report.blocking()
                    && !report.blockingFindings().stream()
                            .allMatch(f -> f.check().equals("lock"))) {
                recordAlone(jobId, record);
                throw new PreflightBlockedException(report);
            }
        }
        try {
            return management.start(jobId, actor, reason, record, view);
        } catch (RuntimeException refused) {
            try {
                recordAlone(jobId, record);
            } catch (RuntimeException alsoFailed) {
                refused.addSuppressed(alsoFailed);
            }
            throw refused;
        }
    }

    private void recordAlone(UUID jobId, Consumer<JobChange> record) {
        jobLocks.change(jobId, change -> {
            record.accept(change);
            return null;
        });
    }

    /** Every check; calls AWS read-only, so it runs outside any transaction. */
    private PreflightReport check(Subject job, Actor actor) {
        List<PreflightReport.Finding> findings = new ArrayList<>();
        PermissionCheck.Needs needs = new PermissionCheck.Needs();
        Set<String> planSteps = job.plan().steps().map(StepSpec::id).collect(Collectors.toSet());
        Map<String, String> changedEarlier = new LinkedHashMap<>();
        for (StepSpec step : job.plan().steps().toList()) {
            findings.addAll(stepChecks.check(job, step, planSteps, needs, changedEarlier));
        }
        findings.addAll(permissions.check(needs));
        findings.addAll(WindowCheck.check(job.plan(), clock.instant()));
        // A phase that took longer in its last rehearsal than its window is open will likely overrun.
        RehearsalDurations.windowWarnings(
                        job.plan(), rehearsals.expected(job.plan().name()))
                .forEach(w -> findings.add(PreflightReport.Finding.job(
                        PreflightFinding.warning("rehearsal", w.phase().name() + " window", w.message()))));
        return PreflightReport.of(
                job.id(),
                clock.instant(),
                actor.name(),
                scrubbed(findings, SecretValues.of(job.plan(), job.scope().params())));
    }

    /** Stores the report and its timeline entry inside the job's change. */
    private void store(JobChange change, PreflightReport report, Actor actor) {
        runs.save(report);
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("preflightId", report.id().toString())
                .put("blocking", report.blocking())
                .put("ok", report.counts().ok())
                .put("warning", report.counts().warning())
                .put("blockingFindings", report.counts().blocking());
        change.record(JobEventDraft.of(JobEventType.PREFLIGHT_COMPLETED, actor.name())
                .reason(
                        report.blocking()
                                ? "blocking: "
                                        + report.blockingFindings().get(0).reason()
                                : null)
                .detail(detail));
    }

    private Subject subject(UUID jobId) {
        // The job alone: no guard facts or approval count, which no check reads.
        return queries.readJob(jobId, job -> {
            // Secret parameters stay sealed: no check needs a secret's value.
            TemplateScope scope = new TemplateScope(
                    ((ObjectNode) job.parameters()).deepCopy(),
                    job.stepOutputs(),
                    job.id().toString(),
                    job.name());
            return new Subject(
                    job.id(),
                    job.state(),
                    plans.findById(job.planId()).orElseThrow().document(),
                    scope);
        });
    }

    /**
     * Findings quote what they checked (a cluster name, an ARN, an error from AWS); a secret templated
     * into a step's parameters would be quoted too, and reports are shown to every viewer.
     */
    private static List<PreflightReport.Finding> scrubbed(
            List<PreflightReport.Finding> findings, SecretValues secrets) {
        return findings.stream()
                .map(f -> new PreflightReport.Finding(
                        f.step(),
                        f.part(),
                        f.severity(),
                        f.check(),
                        secrets.scrub(f.subject()),
                        secrets.scrub(f.reason())))
                .toList();
    }

    static PreflightReport.Finding finding(String step, String part, PreflightFinding finding) {
        return PreflightReport.Finding.of(step, part, finding);
    }
}
