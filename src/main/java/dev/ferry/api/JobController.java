package dev.ferry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.ferry.approval.ApprovedPreviews;
import dev.ferry.approval.PhaseApprovals;
import dev.ferry.approval.PreviewNotFoundException;
import dev.ferry.audit.AuditTrail;
import dev.ferry.audit.JobEventRecord;
import dev.ferry.common.Actor;
import dev.ferry.job.CreatedJob;
import dev.ferry.job.JobManagement;
import dev.ferry.job.JobPreviews;
import dev.ferry.job.JobQueries;
import dev.ferry.job.ManualSteps;
import dev.ferry.job.NewJob;
import dev.ferry.job.StepExecution;
import dev.ferry.job.StepNotFoundException;
import dev.ferry.notify.NotificationTarget;
import dev.ferry.notify.NotificationTargets;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanPreview;
import dev.ferry.plan.UnknownPhaseException;
import dev.ferry.preflight.JobPreflight;
import dev.ferry.preflight.PreflightReport;
import dev.ferry.rollback.RollbackCoordinator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/** Jobs: create, timeline, and the operator's commands ({@link JobPolling}: the listing and the view). */
@RestController
@Validated
@RequestMapping(path = "/api/v1/jobs", produces = "application/json")
class JobController {

    private final JobManagement management;
    private final JobQueries queries;
    private final PhaseApprovals approvals;
    private final AuditTrail audit;
    private final JobViews views;
    private final RollbackCoordinator rollbacks;
    private final ManualSteps manualSteps;
    private final NotificationTargets notifications;
    private final JobPreviews previews;
    private final JobPreflight preflight;
    private final ApprovedPreviews approvedPreviews;

    JobController(
            JobManagement management,
            JobQueries queries,
            PhaseApprovals approvals,
            AuditTrail audit,
            JobViews views,
            RollbackCoordinator rollbacks,
            ManualSteps manualSteps,
            NotificationTargets notifications,
            JobPreviews previews,
            JobPreflight preflight,
            ApprovedPreviews approvedPreviews) {
        this.approvedPreviews = approvedPreviews;
        this.previews = previews;
        this.manualSteps = manualSteps;
        this.preflight = preflight;
        this.management = management;
        this.queries = queries;
        this.approvals = approvals;
        this.audit = audit;
        this.views = views;
        this.rollbacks = rollbacks;
        this.notifications = notifications;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<JobView> create(
            @Valid @RequestBody JobRequests.Create body,
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 200) String idempotencyKey,
            Actor actor) {
        List<NotificationTarget> targets =
                notifications.validate(body.notifications() == null ? List.of() : body.notifications());
        CreatedJob created = management.create(
                new NewJob(
                        body.plan(),
                        body.planVersion(),
                        body.name(),
                        body.parameters(),
                        Boolean.TRUE.equals(body.rehearsal())),
                actor,
                idempotencyKey);
        notifications.attach(created.id(), targets);
        JobView view = views.view(created.id());
        if (!created.created()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.created(URI.create("/api/v1/jobs/" + created.id()))
                .body(view);
    }

    /**
     * Per phase, step and compensation: the resolved action and parameters (secrets redacted;
     * outputs of steps not run yet as placeholders), the AWS calls it will make and what they change.
     */
    @GetMapping("/{id}/preview")
    PlanPreview.JobPreview preview(@PathVariable UUID id) {
        return previews.of(id);
    }

    /**
     * The preview of a phase as an approver was shown it, by the hash their decision names. It never
     * changes under its hash, so it may be cached for good.
     */
    @GetMapping("/{id}/previews/{sha256}")
    ResponseEntity<byte[]> approvedPreview(
            @PathVariable UUID id, @PathVariable @Pattern(regexp = "[0-9a-f]{64}") String sha256, WebRequest request) {
        byte[] body = approvedPreviews.find(id, sha256).orElseThrow(() -> new PreviewNotFoundException(id, sha256));
        String etag = "\"" + sha256 + "\"";
        CacheControl forever =
                CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();
        if (request.checkNotModified(etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(etag)
                    .cacheControl(forever)
                    .build();
        }
        return ResponseEntity.ok()
                .eTag(etag)
                .cacheControl(forever)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    /** A step's whole output, error or compensation output, which the job view leaves out when large. */
    @GetMapping("/{id}/steps/{stepId}/{part:output|error|compensation-output}")
    JsonNode stepPart(@PathVariable UUID id, @PathVariable String stepId, @PathVariable String part) {
        return queries.read(id, snapshot -> {
            StepExecution step = snapshot.job().step(stepId).orElseThrow(() -> new StepNotFoundException(id, stepId));
            JsonNode node =
                    switch (part) {
                        case "output" -> step.output();
                        case "error" -> step.error();
                        default -> step.compensationOutput();
                    };
            return node == null ? NullNode.getInstance() : node;
        });
    }

    @GetMapping("/{id}/events")
    EventPage events(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        queries.read(id, snapshot -> null);
        List<EventView> events =
                audit.after(id, after, limit).stream().map(EventView::of).toList();
        long last = events.isEmpty() ? after : events.get(events.size() - 1).seq();
        return new EventPage(events, last);
    }

    /** Starts the job after a preflight without blocking findings (422 otherwise), or skipping it with a reason. */
    @PostMapping("/{id}/start")
    JobView start(@PathVariable UUID id, @Valid @RequestBody(required = false) JobRequests.Start body, Actor actor) {
        JobRequests.Start start = body == null ? new JobRequests.Start(null, null) : body;
        return preflight.start(id, actor, start.reason(), start.skip(), views::assemble);
    }

    /** Runs preflight now: 200 with the report whether or not it blocks; nothing changes in AWS. */
    @PostMapping("/{id}/preflight")
    PreflightReport preflight(@PathVariable UUID id, Actor actor) {
        return preflight.run(id, actor);
    }

    /** The operator's commands without arguments beyond an optional reason. */
    @PostMapping("/{id}/{command:pause|resume|retry|cancel}")
    JobView command(
            @PathVariable UUID id,
            @PathVariable String command,
            @Valid @RequestBody(required = false) JobRequests.Command body,
            Actor actor) {
        String reason = reason(body);
        switch (command) {
            case "pause" -> management.pause(id, actor, reason);
            case "resume" -> management.resume(id, actor, reason);
            case "retry" -> management.retry(id, actor, reason);
            default -> management.cancel(id, actor, reason);
        }
        return views.view(id);
    }

    /** Idempotent: a repeated request (a flapping alert) is recorded as a duplicate and changes nothing. */
    @PostMapping("/{id}/rollback")
    JobView rollback(
            @PathVariable UUID id, @Valid @RequestBody(required = false) JobRequests.Command body, Actor actor) {
        rollbacks.request(id, actor, reason(body));
        return views.view(id);
    }

    @PostMapping("/{id}/phases/{phase}/approve")
    JobView approve(
            @PathVariable UUID id,
            @PathVariable String phase,
            @Valid @RequestBody(required = false) JobRequests.Decision body,
            Actor actor) {
        return approvals.approve(id, phase(phase), actor, body == null ? null : body.comment(), views::assemble);
    }

    @PostMapping("/{id}/phases/{phase}/reject")
    JobView reject(
            @PathVariable UUID id,
            @PathVariable String phase,
            @Valid @RequestBody JobRequests.Rejection body,
            Actor actor) {
        approvals.reject(id, phase(phase), actor, body.comment());
        return views.view(id);
    }

    /** Shortens or extends a phase's notBefore wait (e.g. the 7 days before CLEANUP); audited. */
    @PostMapping("/{id}/phases/{phase}/not-before")
    JobView reschedule(
            @PathVariable UUID id,
            @PathVariable String phase,
            @Valid @RequestBody JobRequests.Reschedule body,
            Actor actor) {
        management.reschedule(id, phase(phase), body.at(), actor, body.reason());
        return views.view(id);
    }

    @PostMapping("/{id}/steps/{stepId}/skip")
    @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.OK)
    JobView skip(
            @PathVariable UUID id,
            @PathVariable String stepId,
            @Valid @RequestBody JobRequests.Skip body,
            Actor actor) {
        management.skipStep(id, stepId, actor, body.reason());
        return views.view(id);
    }

    /** A person completes or declines a {@code manual} step (the step's role; evidence as the plan asks). */
    @PostMapping("/{id}/steps/{stepId}/{decision:complete|decline}")
    JobView decide(
            @PathVariable UUID id,
            @PathVariable String stepId,
            @PathVariable String decision,
            @Valid @RequestBody(required = false) JobRequests.ManualDecision body,
            Actor actor) {
        JobRequests.ManualDecision given = body == null ? new JobRequests.ManualDecision(null, null) : body;
        manualSteps.decide(
                id,
                stepId,
                actor,
                "complete".equals(decision),
                given.note(),
                given.evidence() == null
                        ? null
                        : new ManualSteps.Evidence(
                                given.evidence().url(), given.evidence().attachment()));
        return views.view(id);
    }

    @PostMapping("/{id}/steps/{stepId}/compensation/retry")
    JobView retryCompensation(
            @PathVariable UUID id,
            @PathVariable String stepId,
            @Valid @RequestBody(required = false) JobRequests.Command body,
            Actor actor) {
        management.retryCompensation(id, stepId, actor, reason(body));
        return views.view(id);
    }

    /** A person undid the step by hand: recorded with who and why, and the rollback goes on. */
    @PostMapping("/{id}/steps/{stepId}/compensation/done")
    JobView markCompensated(
            @PathVariable UUID id,
            @PathVariable String stepId,
            @Valid @RequestBody JobRequests.ManualCompensation body,
            Actor actor) {
        management.markCompensated(id, stepId, actor, body.reason());
        return views.view(id);
    }

    private static Phase phase(String name) {
        return Phase.parse(name).orElseThrow(() -> new UnknownPhaseException(name));
    }

    private static String reason(JobRequests.Command body) {
        return body == null ? null : body.reason();
    }

    record EventPage(List<EventView> items, long lastSeq) {}

    record EventView(
            long seq,
            Instant at,
            String actor,
            String type,
            Phase phase,
            String step,
            String from,
            String to,
            String reason,
            JsonNode detail) {

        static EventView of(JobEventRecord e) {
            return new EventView(
                    e.seq(),
                    e.at(),
                    e.actor(),
                    e.type().name(),
                    e.phase(),
                    e.stepId(),
                    e.from(),
                    e.to(),
                    e.reason(),
                    e.detail());
        }
    }
}
