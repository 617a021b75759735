package dev.ferry.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanPreview;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A job's preview: its plan resolved with the job's parameters (secrets redacted) and the outputs
 * of the steps it has run so far, through the same {@link PlanPreview} as a plan's preview.
 */
@Component
public class JobPreviews {

    private final JobQueries queries;
    private final PlanCatalog plans;
    private final PlanPreview preview;

    JobPreviews(JobQueries queries, PlanCatalog plans, PlanPreview preview) {
        this.queries = queries;
        this.plans = plans;
        this.preview = preview;
    }

    /** @throws JobNotFoundException when there is no such job */
    public PlanPreview.JobPreview of(UUID jobId) {
        return queries.read(jobId, snapshot -> of(snapshot.job()));
    }

    public PlanPreview.JobPreview of(MigrationJob job) {
        return preview.ofJob(
                plans.findById(job.planId()).orElseThrow(),
                job.id(),
                job.name(),
                (ObjectNode) job.parameters(),
                job.stepOutputs());
    }

    /** The preview of one phase of a job as it stands, and its SHA-256: what an approver of it is shown. */
    public PlanPreview.Shown phase(MigrationJob job, Phase phase) {
        return preview.phaseOfJob(
                plans.findById(job.planId()).orElseThrow(),
                job.id(),
                job.name(),
                (ObjectNode) job.parameters(),
                job.stepOutputs(),
                phase);
    }
}
