package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules a JSON Schema cannot express: known actions, unique ids, durations, each action's own
 * parameter schema, and template references. Works on the raw tree, tolerating parts the schema
 * already rejected, so that one pass reports every problem. One instance checks one document.
 */
final class PlanChecks {

    private static final String GATE = "gate";
    private static final String DURATION_HINT = " is not an ISO-8601 duration (e.g. PT30S, P7D)";

    private final ActionRegistry actions;
    private final Function<ActionHandler, JsonSchema> schemaOf;
    private final List<PlanProblem> problems = new ArrayList<>();
    private final Set<String> parameterNames = new LinkedHashSet<>();
    private final Set<String> allStepIds = new HashSet<>();
    private final Set<String> earlierStepIds = new HashSet<>();

    PlanChecks(ActionRegistry actions, Function<ActionHandler, JsonSchema> schemaOf) {
        this.actions = actions;
        this.schemaOf = schemaOf;
    }

    List<PlanProblem> check(JsonNode root) {
        checkParameters(root.path("parameters"));
        checkUniqueStepIds(root.path("phases"));
        // Plan order, phase by phase then step by step, decides which outputs a template may read.
        for (Phase phase : Phase.values()) {
            JsonNode spec = root.path("phases").path(phase.key());
            String location = "phases." + phase.key();
            checkDuration(spec.path("approval").path("expiresAfter"), location + ".approval.expiresAfter");
            checkTiming(phase, spec, location);
            JsonNode steps = spec.path("steps");
            for (int i = 0; i < steps.size(); i++) {
                checkStep(steps.get(i), location + ".steps[" + i + "]");
            }
        }
        return problems;
    }

    private void checkTiming(Phase phase, JsonNode spec, String location) {
        JsonNode notBefore = spec.path("notBefore");
        if (notBefore.isObject()) {
            checkDuration(notBefore.path("delay"), location + ".notBefore.delay");
            Phase.parse(notBefore.path("after").textValue())
                    .filter(after -> after.compareTo(phase) >= 0)
                    .ifPresent(after -> problems.add(new PlanProblem(
                            location + ".notBefore.after",
                            "must name a phase before " + phase.key() + ", not " + after.key())));
        }
        JsonNode window = spec.path("window");
        if (window.isObject()) {
            try {
                ZoneId.of(window.path("zone").textValue());
            } catch (DateTimeException | NullPointerException e) {
                problems.add(new PlanProblem(
                        location + ".window.zone",
                        "'" + window.path("zone").asText() + "' is not a time zone (e.g. America/Caracas, UTC)"));
            }
            if (window.path("start").asText().equals(window.path("end").asText())) {
                problems.add(new PlanProblem(location + ".window", "start and end must differ"));
            } else {
                checkEstimatesFit(spec, window, location);
            }
        }
    }

    /** A step whose estimate is longer than the window could never start: say so at registration. */
    private void checkEstimatesFit(JsonNode spec, JsonNode window, String location) {
        Duration length;
        try {
            LocalTime start = LocalTime.parse(window.path("start").asText());
            LocalTime end = LocalTime.parse(window.path("end").asText());
            length = Duration.between(start, end);
            length = length.isNegative() ? length.plusDays(1) : length;
        } catch (DateTimeException e) {
            return; // the schema reports the malformed time
        }
        JsonNode steps = spec.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode estimate = steps.get(i).path("estimate");
            try {
                if (estimate.isTextual() && Duration.parse(estimate.textValue()).compareTo(length) > 0) {
                    problems.add(new PlanProblem(
                            location + ".steps[" + i + "].estimate",
                            "estimate "
                                    + estimate.textValue() + " is longer than the maintenance window (" + length
                                    + "), so the step could never start"));
                }
            } catch (DateTimeParseException e) {
                // reported by checkDuration
            }
        }
    }

    static DayOfWeek dayOfWeek(String day) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(day)) {
                return d;
            }
        }
        throw new IllegalArgumentException("not a day: " + day);
    }

    private void checkParameters(JsonNode parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            JsonNode parameter = parameters.get(i);
            String location = "parameters[" + i + "]";
            String name = parameter.path("name").asText(null);
            if (name != null && !parameterNames.add(name)) {
                problems.add(new PlanProblem(location + ".name", "duplicate parameter name '" + name + "'"));
            }
            Optional<ParameterType> type = parameterType(parameter.path("type"));
            JsonNode defaultValue = parameter.path("default");
            if (type.isPresent() && !defaultValue.isMissingNode() && !defaultValue.isNull()) {
                ParameterBinding.mismatch(type.get(), defaultValue)
                        .ifPresent(why -> problems.add(new PlanProblem(
                                location + ".default",
                                "default does not match type "
                                        + parameter.path("type").asText() + ": " + why)));
            }
        }
    }

    private void checkUniqueStepIds(JsonNode phases) {
        Map<String, String> firstUse = new HashMap<>();
        for (Phase phase : Phase.values()) {
            JsonNode steps = phases.path(phase.key()).path("steps");
            for (int i = 0; i < steps.size(); i++) {
                JsonNode id = steps.get(i).path("id");
                if (!id.isTextual()) {
                    continue;
                }
                String location = "phases." + phase.key() + ".steps[" + i + "].id";
                String first = firstUse.putIfAbsent(id.textValue(), location);
                if (first != null) {
                    problems.add(new PlanProblem(
                            location, "duplicate step id '" + id.textValue() + "'; first used at " + first));
                }
                allStepIds.add(id.textValue());
            }
        }
    }

    private void checkStep(JsonNode step, String location) {
        String id = step.path("id").asText(null);
        checkAction(step.path("action"), step.path("with"), location, location + ".with");
        if (GATE.equals(step.path("action").asText())) {
            // A gate's checks are actions too: an unknown one must fail at registration, not at 3 a.m.
            JsonNode checks = step.path("with").path("checks");
            for (int i = 0; i < checks.size(); i++) {
                String at = location + ".with.checks[" + i + "]";
                checkAction(checks.get(i).path("action"), checks.get(i).path("with"), at, at + ".with");
            }
        }
        checkTemplates(step.path("with"), location + ".with", id, false);
        checkDuration(step.path("timeout"), location + ".timeout");
        checkDuration(step.path("estimate"), location + ".estimate");
        checkDuration(step.path("retry").path("backoff"), location + ".retry.backoff");
        checkDuration(step.path("retry").path("maxBackoff"), location + ".retry.maxBackoff");
        JsonNode compensate = step.path("compensate");
        if (compensate.isObject()) {
            String at = location + ".compensate";
            checkAction(compensate.path("action"), compensate.path("with"), at, at + ".with");
            checkTemplates(compensate.path("with"), at + ".with", id, true);
        }
        if (id != null) {
            earlierStepIds.add(id);
        }
    }

    private void checkAction(JsonNode action, JsonNode with, String location, String withLocation) {
        if (!action.isTextual()) {
            return;
        }
        Optional<ActionHandler> handler = actions.find(action.textValue());
        if (handler.isEmpty()) {
            String known = actions.all().stream().map(ActionHandler::name).collect(Collectors.joining(", "));
            problems.add(new PlanProblem(
                    location + ".action", "unknown action '" + action.textValue() + "'; known actions: " + known));
            return;
        }
        if (with.isMissingNode() || with.isObject()) {
            JsonNode parameters = with.isMissingNode() ? JsonNodeFactory.instance.objectNode() : with;
            problems.addAll(SchemaValidation.validate(schemaOf.apply(handler.get()), parameters, withLocation, true));
        }
    }

    private void checkTemplates(JsonNode node, String location, String stepId, boolean inCompensation) {
        if (node.isTextual()) {
            try {
                for (String path : Template.references(node)) {
                    referenceProblem(path, stepId, inCompensation)
                            .ifPresent(message -> problems.add(new PlanProblem(location, message)));
                }
            } catch (TemplateException e) {
                problems.add(new PlanProblem(location, e.getMessage()));
            }
        } else if (node.isObject()) {
            node.fields()
                    .forEachRemaining(e -> checkTemplates(
                            e.getValue(), SchemaValidation.join(location, e.getKey()), stepId, inCompensation));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTemplates(node.get(i), location + "[" + i + "]", stepId, inCompensation);
            }
        }
    }

    private Optional<String> referenceProblem(String path, String stepId, boolean inCompensation) {
        String[] segments = path.split("\\.");
        String template = "'${" + path + "}'";
        switch (segments[0]) {
            case "params":
                if (segments.length >= 2 && parameterNames.contains(segments[1])) {
                    return Optional.empty();
                }
                return segments.length < 2
                        ? badPath(path)
                        : Optional.of(template + " names no declared parameter; declared: "
                                + (parameterNames.isEmpty() ? "none" : String.join(", ", parameterNames)));
            case "steps":
                if (segments.length < 3 || !segments[2].equals("output")) {
                    return badPath(path);
                }
                return stepReferenceProblem(segments[1], template, stepId, inCompensation);
            case "job":
                boolean known = segments.length == 2 && (segments[1].equals("id") || segments[1].equals("name"));
                return known ? Optional.empty() : badPath(path);
            default:
                return badPath(path);
        }
    }

    private Optional<String> stepReferenceProblem(
            String target, String template, String stepId, boolean inCompensation) {
        if (target.equals(stepId)) {
            return inCompensation
                    ? Optional.empty()
                    : Optional.of(template + ": a step can read its own output only in its compensate block");
        }
        if (earlierStepIds.contains(target)) {
            return Optional.empty();
        }
        if (allStepIds.contains(target)) {
            return Optional.of(template + ": step '" + target
                    + "' runs later in the plan; only the outputs of earlier steps can be referenced");
        }
        return Optional.of(template + ": there is no step '" + target + "' in this plan");
    }

    private static Optional<String> badPath(String path) {
        return Optional.of("bad template path '${" + path + "}'; use params.<name>, steps.<id>.output.<field>, "
                + "job.id or job.name");
    }

    private void checkDuration(JsonNode node, String location) {
        if (!node.isTextual()) {
            return;
        }
        try {
            Duration duration = Duration.parse(node.textValue());
            if (duration.isNegative() || duration.isZero()) {
                problems.add(new PlanProblem(location, "must be a positive duration"));
            }
        } catch (DateTimeParseException e) {
            problems.add(new PlanProblem(location, "'" + node.textValue() + "'" + DURATION_HINT));
        }
    }

    static Optional<ParameterType> parameterType(JsonNode type) {
        if (!type.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ParameterType.valueOf(type.textValue().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
