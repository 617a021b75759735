package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.PlannedCall;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a job of a plan would do with given parameters, without touching anything: each step's
 * resolved parameters, its handler's own description, the AWS calls it and its compensation will
 * make and the resources they change (the "cdk diff before anything is applied"). Secrets are shown
 * redacted; values that only exist at run time (outputs of steps not run yet) stay as their
 * templates, and the calls that use them name them in {@code dependsOn}.
 */
@Component
public class PlanPreview {

    /** The local action a person completes (see {@code action.local.ManualAction}). */
    private static final String MANUAL = "manual";

    private final ActionRegistry actions;
    private final ObjectMapper json;

    PlanPreview(ActionRegistry actions, ObjectMapper json) {
        this.actions = actions;
        this.json = json;
    }

    /** A plan with parameters as a user would supply them (bound, defaults applied, then redacted). */
    public Preview preview(StoredPlan plan, JsonNode parameters) {
        ObjectNode bound = ParameterBinding.bind(plan.document(), parameters);
        TemplateScope scope =
                new TemplateScope(ParameterBinding.redact(plan.document(), bound), Map.of(), "(job id)", "(job name)");
        return new Preview(plan.name(), plan.version(), plan.sha256(), phases(plan.document(), scope));
    }

    /**
     * A job as it stands: its bound parameters (redacted here) and the outputs of the steps it has
     * already run; the {@code sha256} is that of the canonical preview document without it.
     */
    public JobPreview ofJob(
            StoredPlan plan, UUID jobId, String jobName, ObjectNode parameters, Map<String, JsonNode> outputs) {
        ObjectNode redacted = ParameterBinding.redact(plan.document(), parameters);
        TemplateScope scope = new TemplateScope(redacted, outputs, jobId.toString(), jobName);
        List<PhasePreview> phases = phases(plan.document(), scope);
        Map<Phase, String> phaseSha256 = new EnumMap<>(Phase.class);
        phases.forEach(p -> phaseSha256.put(p.phase(), sha256(p)));
        JobPreview unsigned = new JobPreview(
                jobId,
                jobName,
                plan.name(),
                plan.version(),
                plan.sha256(),
                CanonicalJson.sha256(redacted),
                phases,
                phaseSha256,
                null);
        return unsigned.signed(sha256(unsigned));
    }

    /**
     * One phase of {@link #ofJob} alone, as JSON with its SHA-256 (the same as {@code ofJob}'s
     * {@code phaseSha256}): what an approver of that phase is shown, without building and hashing
     * the other six.
     */
    public Shown phaseOfJob(
            StoredPlan plan,
            UUID jobId,
            String jobName,
            ObjectNode parameters,
            Map<String, JsonNode> outputs,
            Phase phase) {
        ObjectNode redacted = ParameterBinding.redact(plan.document(), parameters);
        TemplateScope scope = new TemplateScope(redacted, outputs, jobId.toString(), jobName);
        JsonNode tree = tree(phase(plan.document().phase(phase), phase, scope));
        return new Shown(tree, CanonicalJson.sha256(tree));
    }

    /** A preview part as JSON, with the SHA-256 of its canonical form. */
    public record Shown(JsonNode preview, String sha256) {}

    /** The SHA-256 of a preview part's canonical JSON. */
    private String sha256(Object part) {
        return CanonicalJson.sha256(tree(part));
    }

    private JsonNode tree(Object part) {
        return json.valueToTree(part);
    }

    private List<PhasePreview> phases(PlanDocument document, TemplateScope scope) {
        List<PhasePreview> phases = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            phases.add(phase(document.phase(phase), phase, scope));
        }
        return phases;
    }

    private PhasePreview phase(PhaseSpec spec, Phase phase, TemplateScope scope) {
        List<StepPreview> steps =
                spec.steps().stream().map(step -> step(step, scope)).toList();
        return new PhasePreview(phase, spec.isEmpty(), spec.approval(), steps);
    }

    private StepPreview step(StepSpec step, TemplateScope scope) {
        JsonNode with = resolve(step.with(), scope);
        Optional<ActionHandler> handler = actions.find(step.action());
        CompensationPreview compensation = compensation(step, handler, scope);
        List<CallPreview> calls = handler.map(h -> calls(h, with, false)).orElse(List.of());
        Set<String> resources = new TreeSet<>(changed(calls));
        handler.ifPresent(h -> resources.addAll(resources(h, with)));
        return new StepPreview(
                step.id(),
                step.action(),
                with,
                describe(step.action(), with),
                compensation == null ? null : compensation.description(),
                step.irreversible(),
                step.timeout() == null ? null : step.timeout().toString(),
                step.retry().maxAttempts(),
                placeholders(with),
                calls,
                List.copyOf(resources),
                manual(step.action(), with),
                compensation);
    }

    /** The plan's own compensation (another action run forward), else the handler's undo, if any. */
    private CompensationPreview compensation(StepSpec step, Optional<ActionHandler> handler, TemplateScope scope) {
        if (step.compensate() != null) {
            JsonNode with = resolve(step.compensate().with(), scope);
            Optional<ActionHandler> undo = actions.find(step.compensate().action());
            List<CallPreview> calls = undo.map(h -> calls(h, with, false)).orElse(List.of());
            return new CompensationPreview(
                    step.compensate().action(),
                    with,
                    describe(step.compensate().action(), with),
                    false,
                    placeholders(with),
                    calls,
                    changed(calls));
        }
        if (handler.isEmpty() || !handler.get().compensable()) {
            return null;
        }
        JsonNode with = resolve(step.with(), scope);
        List<CallPreview> calls = calls(handler.get(), with, true);
        return new CompensationPreview(
                step.action(), with, "undo of " + step.action(), true, placeholders(with), calls, changed(calls));
    }

    private static List<CallPreview> calls(ActionHandler handler, JsonNode with, boolean undo) {
        List<PlannedCall> planned;
        try {
            planned = undo ? handler.plannedCompensationCalls(with) : handler.plannedCalls(with);
        } catch (RuntimeException e) {
            // A template left unresolved may not fit the handler's types: the calls are unknown yet.
            return List.of();
        }
        return planned.stream()
                .map(c -> new CallPreview(
                        c.service(),
                        c.operation(),
                        c.iamActions(),
                        c.arguments(),
                        c.changes(),
                        List.copyOf(placeholders(c.arguments(), c.changes()))))
                .toList();
    }

    private static List<String> resources(ActionHandler handler, JsonNode with) {
        try {
            return List.copyOf(new TreeSet<>(handler.resources(with)));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> changed(List<CallPreview> calls) {
        Set<String> changed = new TreeSet<>();
        calls.forEach(c -> changed.addAll(c.changes()));
        return List.copyOf(changed);
    }

    private static ManualPreview manual(String action, JsonNode with) {
        if (!MANUAL.equals(action) || with == null) {
            return null;
        }
        return new ManualPreview(
                with.path("title").asText(null),
                with.path("instructions").asText(null),
                with.path("role").asText("operator"),
                with.get("evidence"));
    }

    /** The template paths still in {@code with}: outputs of steps that have not run yet. */
    private static List<String> placeholders(JsonNode with) {
        return with == null ? List.of() : List.copyOf(Template.references(with));
    }

    private static Set<String> placeholders(JsonNode arguments, List<String> changes) {
        Set<String> paths = new TreeSet<>(arguments == null ? Set.of() : Template.references(arguments));
        changes.forEach(c -> paths.addAll(Template.references(TextNode.valueOf(c))));
        return paths;
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

    /** Resolves every value it can; one that refers to a step not run yet keeps its template. */
    private static JsonNode resolve(JsonNode with, TemplateScope scope) {
        if (with == null) {
            return null;
        }
        if (with.isObject()) {
            ObjectNode copy = ((ObjectNode) with).objectNode();
            with.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), scope)));
            return copy;
        }
        if (with.isArray()) {
            var copy = ((ArrayNode) with).arrayNode();
            with.forEach(item -> copy.add(resolve(item, scope)));
            return copy;
        }
        try {
            return Template.resolve(with, scope);
        } catch (TemplateException e) {
            return with;
        }
    }

    /** The whole preview of a plan. */
    public record Preview(String plan, int version, String sha256, List<PhasePreview> phases) {}

    /**
     * The preview of a job; {@code sha256} is that of this document (canonical JSON) without it, and
     * {@code phaseSha256} that of each phase's part, which an approval of the phase records.
     */
    public record JobPreview(
            UUID jobId,
            String jobName,
            String plan,
            int version,
            String planSha256,
            String parametersSha256,
            List<PhasePreview> phases,
            Map<Phase, String> phaseSha256,
            String sha256) {

        JobPreview signed(String sha) {
            return new JobPreview(
                    jobId, jobName, plan, version, planSha256, parametersSha256, phases, phaseSha256, sha);
        }

        public Optional<PhasePreview> phase(Phase phase) {
            return phases.stream().filter(p -> p.phase() == phase).findFirst();
        }
    }

    /** One phase: {@code empty} phases are skipped by a job. */
    public record PhasePreview(Phase phase, boolean empty, ApprovalPolicy approval, List<StepPreview> steps) {}

    /**
     * One step as it would run.
     *
     * @param compensation the compensation's description (kept for readers of the first version)
     * @param placeholders template paths that cannot be resolved yet
     * @param resources what the step changes: what its calls change and what it holds a lock on
     * @param manual what a person is asked to do, for {@code manual} steps
     * @param undo the compensation in full, or null when the step has none
     */
    public record StepPreview(
            String id,
            String action,
            JsonNode with,
            String description,
            String compensation,
            boolean irreversible,
            String timeout,
            int maxAttempts,
            List<String> placeholders,
            List<CallPreview> calls,
            List<String> resources,
            ManualPreview manual,
            CompensationPreview undo) {}

    /** A compensation: {@code own} when it is the action's own undo rather than a plan's action. */
    public record CompensationPreview(
            String action,
            JsonNode with,
            String description,
            boolean own,
            List<String> placeholders,
            List<CallPreview> calls,
            List<String> resources) {}

    /** One planned AWS call; {@code dependsOn} names the outputs of steps not run yet it needs. */
    public record CallPreview(
            String service,
            String operation,
            List<String> iamActions,
            JsonNode arguments,
            List<String> changes,
            List<String> dependsOn) {}

    /** A manual step: what to do, the role that completes it and the evidence it asks for. */
    public record ManualPreview(String title, String instructions, String role, JsonNode evidence) {}
}
