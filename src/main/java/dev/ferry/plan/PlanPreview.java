package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What a job of a plan would do with given parameters, without touching anything: each step's
 * resolved parameters and its handler's own description. Secrets are shown redacted; values that
 * only exist at run time (earlier steps' outputs) stay as their templates.
 */
@Component
public class PlanPreview {

    private final ActionRegistry actions;

    PlanPreview(ActionRegistry actions) {
        this.actions = actions;
    }

    public Preview preview(StoredPlan plan, JsonNode parameters) {
        PlanDocument document = plan.document();
        ObjectNode bound = ParameterBinding.bind(document, parameters);
        TemplateScope scope = new TemplateScope(ParameterBinding.redact(document, bound), Map.of(),
                "(job id)", "(job name)");
        List<PhasePreview> phases = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            PhaseSpec spec = document.phase(phase);
            List<StepPreview> steps = spec.steps().stream().map(step -> step(step, scope)).toList();
            phases.add(new PhasePreview(phase, spec.isEmpty(), spec.approval(), steps));
        }
        return new Preview(plan.name(), plan.version(), plan.sha256(), phases);
    }

    private StepPreview step(StepSpec step, TemplateScope scope) {
        JsonNode with = resolve(step.with(), scope);
        String compensation = null;
        if (step.compensate() != null) {
            compensation = describe(step.compensate().action(), resolve(step.compensate().with(), scope));
        }
        return new StepPreview(step.id(), step.action(), with, describe(step.action(), with), compensation,
                step.irreversible(), step.timeout() == null ? null : step.timeout().toString(),
                step.retry().maxAttempts());
    }

    private String describe(String action, JsonNode with) {
        return actions.find(action).map(h -> safeDescribe(h, with)).orElse(action);
    }

    private static String safeDescribe(ActionHandler handler, JsonNode with) {
        try {
            return handler.describe(with);
        } catch (RuntimeException e) {
            // A template left unresolved may not fit the handler's types: say what we can.
            return handler.name() + " " + with;
        }
    }

    private static JsonNode resolve(JsonNode with, TemplateScope scope) {
        if (with == null) {
            return null;
        }
        try {
            return Template.resolve(with, scope);
        } catch (TemplateException e) {
            // Step outputs are unknown before the job runs; keep the templates for the reader.
            return with;
        }
    }

    /** The whole preview. */
    public record Preview(String plan, int version, String sha256, List<PhasePreview> phases) {
    }

    /** One phase: {@code empty} phases are skipped by a job. */
    public record PhasePreview(Phase phase, boolean empty, ApprovalPolicy approval, List<StepPreview> steps) {
    }

    /** One step as it would run. */
    public record StepPreview(
            String id, String action, JsonNode with, String description, String compensation, boolean irreversible,
            String timeout, int maxAttempts) {
    }
}
