package dev.ferry.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.local.ManualAction;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StepSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A person completes or declines a {@code manual} step: who, when, the note and the evidence go
 * into the step (its output, or its error when declined) and the timeline, and the step is woken
 * so the job moves on at once. Only someone with the step's role may decide, only while the step
 * waits, and a completion must carry the evidence the plan asks for.
 */
@Service
public class ManualSteps {

    private final JobLocks locks;
    private final PlanCatalog plans;
    private final ReadyWork readyWork;

    ManualSteps(JobLocks locks, PlanCatalog plans, ReadyWork readyWork) {
        this.locks = locks;
        this.plans = plans;
        this.readyWork = readyWork;
    }

    /** What a person attaches: a link (ticket, dashboard), a reference to an attachment. */
    public record Evidence(String url, String attachment) {}

    public void decide(UUID jobId, String stepId, Actor actor, boolean complete, String note, Evidence evidence) {
        locks.change(jobId, change -> {
            StepExecution step = change.job().steps().stream()
                    .filter(s -> s.stepId().equals(stepId))
                    .findFirst()
                    .orElseThrow(() -> new StepNotFoundException(jobId, stepId));
            if (!ManualAction.NAME.equals(step.action())) {
                throw new ManualStepException(
                        "not-a-manual-step",
                        409,
                        "Not a manual step",
                        "step " + stepId + " runs the action " + step.action()
                                + "; only manual steps are completed by a person");
            }
            boolean waiting = change.job().state() == JobState.RUNNING
                    && step.status() == StepStatus.RUNNING
                    && step.progress() != null
                    && step.progress().path("waitingForPerson").asBoolean()
                    && !step.progress().has(ManualAction.DECISION);
            if (!waiting) {
                throw new ManualStepException(
                        "manual-step-not-waiting",
                        409,
                        "Manual step not waiting",
                        "step " + stepId + " is " + step.status() + " in a "
                                + change.job().state()
                                + " job; it can be completed or declined only while it waits for a person");
            }
            if (step.leaseOwner() != null) {
                throw new ManualStepException(
                        "manual-step-busy",
                        409,
                        "Manual step busy",
                        "step " + stepId + " is being looked at by a worker right now; send the decision again");
            }
            String role = step.progress().path("role").asText("operator");
            if (!actor.hasAnyRole(List.of(role))) {
                throw new ManualStepException(
                        "manual-step-forbidden",
                        403,
                        "Role required",
                        "step " + stepId + " may be completed or declined only by the role " + role);
            }
            StepSpec spec = plans.findById(change.job().planId())
                    .orElseThrow()
                    .document()
                    .step(stepId)
                    .orElseThrow();
            List<String> missing = complete
                    ? missingEvidence(spec, note, evidence)
                    : note == null || note.isBlank() ? List.of("note: say why the step is declined") : List.of();
            if (!missing.isEmpty()) {
                throw new ManualStepException("evidence-missing", 400, "Evidence missing", String.join("; ", missing));
            }
            ObjectNode decision = JsonNodeFactory.instance
                    .objectNode()
                    .put("completed", complete)
                    .put("by", actor.name())
                    .put("at", change.now().toString());
            if (note != null && !note.isBlank()) {
                decision.put("note", note);
            }
            if (evidence != null && (evidence.url() != null || evidence.attachment() != null)) {
                ObjectNode given = decision.putObject("evidence");
                if (evidence.url() != null) {
                    given.put("url", evidence.url());
                }
                if (evidence.attachment() != null) {
                    given.put("attachment", evidence.attachment());
                }
            }
            ObjectNode progress = ((ObjectNode) step.progress().deepCopy()).set(ManualAction.DECISION, decision);
            step.progress(progress, (complete ? "completed by " : "declined by ") + actor.name(), change.now());
            change.record(JobEventDraft.of(
                            complete ? JobEventType.MANUAL_STEP_COMPLETED : JobEventType.MANUAL_STEP_DECLINED,
                            actor.name())
                    .step(step.phase(), stepId)
                    .reason(note)
                    .detail(decision.deepCopy()));
            readyWork.announce();
            return null;
        });
    }

    private static List<String> missingEvidence(StepSpec spec, String note, Evidence evidence) {
        List<String> missing = new ArrayList<>();
        for (var kind : spec.with().path("evidence")) {
            switch (kind.asText()) {
                case "url" -> {
                    String url = evidence == null ? null : evidence.url();
                    if (url == null || !isHttpUrl(url)) {
                        missing.add("evidence.url: an http(s) link is required (a ticket, a dashboard)");
                    }
                }
                case "attachment" -> {
                    if (evidence == null
                            || evidence.attachment() == null
                            || evidence.attachment().isBlank()) {
                        missing.add("evidence.attachment: a reference to the attachment is required");
                    }
                }
                default -> {
                    if (note == null || note.isBlank()) {
                        missing.add("note: a note is required");
                    }
                }
            }
        }
        return missing;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A decision this step cannot take now, or from this person. */
    public static class ManualStepException extends FerryException {

        ManualStepException(String slug, int status, String title, String detail) {
            super(slug, status, title, detail);
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of();
        }
    }
}
