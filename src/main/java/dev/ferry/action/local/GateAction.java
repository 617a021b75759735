package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import dev.ferry.action.ParameterSchemas;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.action.StepParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code gate}: watches a cutover for a while. Every {@code interval} it runs each check once (any
 * read-only action: alarm state, metric threshold, HTTP health) and counts successes, failures and
 * inconclusive rounds (no data). A check past its failure limits fails the gate with the
 * measurements that broke it ({@code GATE_BREACHED}; with {@code onFailure: rollback} the job rolls
 * back); too many inconclusive rounds fail it as {@code GATE_INCONCLUSIVE}, which always pauses for a
 * human instead of guessing. Holds no thread between rounds.
 */
@Component
public class GateAction extends DeclaredAction {

    public static final String NAME = "gate";
    public static final String INCONCLUSIVE = "GATE_INCONCLUSIVE";
    /** Where AWS actions list the calls they made (and so does the gate, for previews and audits). */
    private static final String CALLS = "awsCalls";

    private static final Set<String> NO_DATA = Set.of("NO_DATA", "INSUFFICIENT_DATA", "INCONCLUSIVE");

    private final ObjectProvider<ActionRegistry> registry;
    private final ParameterSchemas schemas;

    public GateAction(ObjectProvider<ActionRegistry> registry, ParameterSchemas schemas) {
        super(NAME);
        this.registry = registry;
        this.schemas = schemas;
    }

    @Override
    public ActionResult execute(ActionContext context) {
        StepParameters with = new StepParameters(NAME, context.parameters());
        ObjectNode progress = context.progress().deepCopy();
        Instant started = progress.has("startedAt")
                ? Instant.parse(progress.get("startedAt").asText())
                : context.now();
        progress.put("startedAt", started.toString())
                .put("rounds", progress.path("rounds").asInt() + 1);
        ObjectNode counters =
                progress.has("checks") ? (ObjectNode) progress.get("checks") : progress.putObject("checks");
        ArrayNode calls = JsonNodeFactory.instance.arrayNode();
        for (JsonNode check : context.parameters().get("checks")) {
            ActionResult breach = round(
                    context,
                    check,
                    counters.has(check.get("id").asText())
                            ? (ObjectNode) counters.get(check.get("id").asText())
                            : counters.putObject(check.get("id").asText()),
                    calls);
            if (breach instanceof ActionResult.Failed failed) {
                failed.detail().set(CALLS, calls);
                return breach;
            }
        }
        if (!context.now().isBefore(started.plus(with.duration("duration", Duration.ZERO)))) {
            ObjectNode output = JsonNodeFactory.instance
                    .objectNode()
                    .put("rounds", progress.get("rounds").asInt());
            output.set("checks", counters);
            output.set(CALLS, calls);
            return ActionResult.succeeded(output);
        }
        return ActionResult.inProgress(
                with.duration("interval", Duration.ofMinutes(1)),
                progress,
                "round " + progress.get("rounds").asInt() + ": within limits");
    }

    /** Runs one check once and updates its counters; a result when a limit is passed, else null. */
    private ActionResult round(ActionContext context, JsonNode check, ObjectNode count, ArrayNode calls) {
        String id = check.get("id").asText();
        ActionResult result = call(context, check);
        calls.addAll(callsOf(result));
        String outcome;
        if (result instanceof ActionResult.Succeeded) {
            outcome = "success";
            count.put("consecutiveFailures", 0);
        } else if (result instanceof ActionResult.Failed failed && !NO_DATA.contains(failed.code())) {
            outcome = "failure";
            count.put("consecutiveFailures", count.path("consecutiveFailures").asInt() + 1);
        } else {
            outcome = "inconclusive";
        }
        count.put(outcome, count.path(outcome).asInt() + 1).set("last", describe(outcome, result));
        if (count.path("failure").asInt() > check.path("failureLimit").asInt(0)
                || (check.has("consecutiveFailureLimit")
                        && count.path("consecutiveFailures").asInt()
                                > check.get("consecutiveFailureLimit").asInt())) {
            return breach(
                    "GATE_BREACHED",
                    id,
                    count,
                    "check " + id + " failed " + count.path("failure").asInt() + " time(s): "
                            + count.path("last").path("message").asText());
        }
        if (count.path("inconclusive").asInt() > check.path("inconclusiveLimit").asInt(3)) {
            return breach(
                    INCONCLUSIVE,
                    id,
                    count,
                    "check " + id + " had no data " + count.path("inconclusive").asInt()
                            + " time(s); a person must look: "
                            + count.path("last").path("message").asText());
        }
        return null;
    }

    private ActionResult call(ActionContext context, JsonNode check) {
        ActionHandler handler =
                registry.getObject().find(check.get("action").asText()).orElse(null);
        JsonNode parameters = check.has("with") ? check.get("with") : JsonNodeFactory.instance.objectNode();
        if (handler == null || handler == this) {
            return ActionResult.failed(
                    false,
                    "UNKNOWN_ACTION",
                    "no check action " + check.get("action").asText());
        }
        var invalid = schemas.validate(handler, parameters);
        if (!invalid.isEmpty()) {
            return ActionResult.failed(
                    false, "INVALID_PARAMETERS", invalid.get(0).getMessage());
        }
        try {
            return handler.execute(new ActionContext(
                    context.jobId(),
                    context.stepId() + "/" + check.get("id").asText(),
                    context.attempt(),
                    parameters,
                    JsonNodeFactory.instance.objectNode(),
                    null,
                    context.idempotencyToken() + "-" + check.get("id").asText(),
                    context.now(),
                    context.now()));
        } catch (RuntimeException e) {
            return ActionResult.failed(false, "CHECK_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The AWS calls a check made, as AWS actions list them; the gate's own output lists them too (last round). */
    private static ArrayNode callsOf(ActionResult result) {
        JsonNode calls = result instanceof ActionResult.Succeeded ok
                ? ok.output().get(CALLS)
                : result instanceof ActionResult.Failed failed && failed.detail() != null
                        ? failed.detail().get(CALLS)
                        : null;
        return calls instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode();
    }

    private static ObjectNode describe(String outcome, ActionResult result) {
        ObjectNode last = JsonNodeFactory.instance.objectNode().put("outcome", outcome);
        if (result instanceof ActionResult.Failed failed) {
            last.put("code", failed.code()).put("message", failed.message()).set("measurements", failed.detail());
        } else if (result instanceof ActionResult.Succeeded ok) {
            last.set("measurements", ok.output());
        } else if (result instanceof ActionResult.InProgress more) {
            last.put("message", more.message());
        }
        return last;
    }

    private static ActionResult breach(String code, String check, ObjectNode count, String message) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("check", check);
        detail.set("counts", count.deepCopy());
        return new ActionResult.Failed(false, code, message, detail);
    }

    @Override
    public String describe(JsonNode parameters) {
        StringBuilder checks = new StringBuilder();
        parameters.path("checks").forEach(c -> checks.append(checks.length() == 0 ? "" : ", ")
                .append(c.path("id").asText())
                .append(" (")
                .append(c.path("action").asText())
                .append(')'));
        return "Watch " + checks + " every " + parameters.path("interval").asText("PT1M") + " for "
                + parameters.path("duration").asText();
    }

    /** One round: each check's own calls, once (the gate repeats them every interval). */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        List<PlannedCall> calls = new ArrayList<>();
        parameters.path("checks").forEach(check -> nested(check)
                .ifPresent(h -> calls.addAll(h.plannedCalls(check.path("with")))));
        return calls;
    }

    /** Each check's own preflight, its findings named after the check. */
    @Override
    public List<PreflightFinding> preflight(JsonNode parameters) {
        List<PreflightFinding> findings = new ArrayList<>();
        for (JsonNode check : parameters.path("checks")) {
            String id = check.path("id").asText();
            Optional<ActionHandler> handler = nested(check);
            if (handler.isEmpty()) {
                findings.add(PreflightFinding.blocking(
                        "action",
                        "check " + id,
                        "no check action " + check.path("action").asText()));
                continue;
            }
            handler.get()
                    .preflight(check.path("with"))
                    .forEach(f -> findings.add(new PreflightFinding(
                            f.severity(), f.check(), "check " + id + ": " + f.subject(), f.reason())));
        }
        return findings;
    }

    private Optional<ActionHandler> nested(JsonNode check) {
        return registry.getObject().find(check.path("action").asText()).filter(h -> h != this);
    }
}
