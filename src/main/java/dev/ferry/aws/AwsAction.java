package dev.ferry.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionResult;
import dev.ferry.action.ActionSchemas;
import dev.ferry.action.PreflightFinding;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Base of every AWS action: resolves the {@link AwsTarget}, turns SDK failures into classified
 * results, and attaches the request id of every AWS call to the step's output or error.
 *
 * <p>A step attempt is often several invocations (capture a memo, then change; start, then poll):
 * the calls of each are carried in the progress ({@value #CALLS}) and the final output or error
 * lists every call of the attempt, in order, so it can be held against the step's preview.
 */
public abstract class AwsAction implements ActionHandler {

    /** Where the calls are listed: in outputs, error details and progress alike. */
    public static final String CALLS = "awsCalls";

    protected final AwsClients clients;
    private final String name;
    private final AwsProperties properties;
    private final JsonNode schema;

    protected AwsAction(String name, AwsClients clients, AwsProperties properties) {
        this.name = name;
        this.clients = clients;
        this.properties = properties;
        this.schema = ActionSchemas.load(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final JsonNode parameterSchema() {
        return schema;
    }

    @Override
    public final ActionResult execute(ActionContext context) {
        return observed(context, () -> run(context, AwsTarget.of(context.parameters(), properties)));
    }

    @Override
    public final ActionResult compensate(ActionContext context) {
        return observed(context, () -> undo(context, AwsTarget.of(context.parameters(), properties)));
    }

    @Override
    public final List<PreflightFinding> preflight(JsonNode parameters) {
        try {
            return inspect(parameters, AwsTarget.of(parameters, properties));
        } catch (SdkException e) {
            ActionResult.Failed failed = AwsErrors.classify(e);
            // Only a passing problem (throttling, 5xx) is not a reason to keep the job from starting.
            return List.of(
                    failed.retryable()
                            ? PreflightFinding.warning("aws-call", name(), failed.message())
                            : PreflightFinding.blocking(
                                    failed.code().contains("AccessDenied")
                                                    || failed.code().contains("Unauthorized")
                                            ? "permission"
                                            : "resource-exists",
                                    name(),
                                    failed.message()));
        } catch (ActionFailure e) {
            return List.of(PreflightFinding.blocking("resource-exists", name(), e.getMessage()));
        }
    }

    /**
     * Read-only checks of the resources this step needs (describe calls; SDK exceptions and
     * {@link ActionFailure}s become findings). Nothing by default.
     */
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        return List.of();
    }

    /**
     * The main arguments of a planned call, from name/value pairs: a value is a parameter's node
     * (left out when absent; a template that cannot be resolved before the run stays as its text),
     * a text, a number or a boolean.
     */
    protected static ObjectNode arguments(Object... namesAndValues) {
        return CallArguments.of(namesAndValues);
    }

    /** Whether a parameter is still a template (an earlier step's output): nothing to inspect before the run. */
    protected static boolean unresolved(JsonNode value) {
        return value == null
                || value.isMissingNode()
                || value.isNull()
                || value.isTextual() && value.asText().contains("${");
    }

    /** Does (or continues) the work; may throw SDK exceptions, which are classified. */
    protected abstract ActionResult run(ActionContext context, AwsTarget target);

    /** Undoes a successful {@link #run}; only called when {@link #compensable()} says so. */
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        return ActionResult.failed(false, "NOT_COMPENSABLE", name() + " has no compensation");
    }

    private ActionResult observed(ActionContext context, Supplier<ActionResult> call) {
        AwsCallLog.start();
        ActionResult result;
        try {
            result = call.get();
        } catch (SdkException e) {
            result = AwsErrors.classify(e);
        } catch (ActionFailure e) {
            result = e.toResult();
        }
        ArrayNode calls = AwsCallLog.finish();
        JsonNode earlier =
                context.progress() == null ? null : context.progress().get(CALLS);
        if (earlier instanceof ArrayNode before && !before.isEmpty()) {
            ArrayNode all = before.deepCopy();
            all.addAll(calls);
            calls = all;
        }
        return withCalls(result, calls);
    }

    private static ActionResult withCalls(ActionResult result, ArrayNode calls) {
        if (calls.isEmpty()) {
            return result;
        }
        if (result instanceof ActionResult.Succeeded ok) {
            ObjectNode output = ok.output().deepCopy();
            output.set(CALLS, calls);
            return new ActionResult.Succeeded(output);
        }
        if (result instanceof ActionResult.Failed failed) {
            ObjectNode detail = failed.detail() == null
                    ? calls.objectNode()
                    : failed.detail().deepCopy();
            detail.set(CALLS, calls);
            return new ActionResult.Failed(failed.retryable(), failed.code(), failed.message(), detail);
        }
        if (result instanceof ActionResult.InProgress progress) {
            ObjectNode state = progress.progress().deepCopy();
            state.set(CALLS, calls);
            return new ActionResult.InProgress(progress.pollAfter(), state, progress.message());
        }
        return result;
    }
}
