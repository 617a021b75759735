package dev.ferry.aws.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * {@code aws.ssm.putParameter}: the seeds' maintenance flag and traffic split ({@code
 * /hse/traffic-split-percent} 10 → 50 → 100). Before overwriting, the memo records whether the
 * parameter existed, its type, KMS key and version: compensation reads that version back from the
 * parameter's history and writes it again, or deletes a parameter this step created. The previous
 * value itself is kept only for plain types, so no SecureString value is ever written to the
 * step's memo, output or description.
 */
@Component
public class PutParameterAction extends AwsAction {

    public static final String NAME = "aws.ssm.putParameter";

    public PutParameterAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode memo = context.progress().path("memo");
        SsmClient ssm = clients.client("ssm", SsmClient::builder, target);
        String name = with.get("name").asText();
        Parameter current = SsmParameters.find(ssm, name, null);
        if (!memo.has("previousExists")) {
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.set("memo", SsmParameters.snapshot(ssm, current));
            return ActionResult.inProgress(
                    Duration.ZERO,
                    progress,
                    current == null
                            ? "parameter " + name + " does not exist yet"
                            : "captured version " + current.version() + " of " + name);
        }
        String type = with.path("type").asText(memo.path("previousType").asText(ParameterType.STRING.toString()));
        long version = unchanged(current, with, type) ? current.version() : put(ssm, with, type, current == null);
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("name", name)
                .put("type", type)
                .put("version", version);
        output.setAll(SsmParameters.visible(memo));
        return ActionResult.succeeded(output);
    }

    private static boolean unchanged(Parameter current, JsonNode with, String type) {
        return current != null
                && current.value().equals(with.get("value").asText())
                && current.typeAsString().equals(type);
    }

    /**
     * Creating is conditional (no overwrite): when the same write reaches AWS twice (the SDK retried a
     * call that had in fact succeeded, or a second worker raced the first), the second is refused
     * instead of making a second version, and the parameter read back shows it was ours.
     */
    private static long put(SsmClient ssm, JsonNode with, String type, boolean create) {
        try {
            return ssm.putParameter(request(with, type, !create)).version();
        } catch (ParameterAlreadyExistsException e) {
            Parameter now = SsmParameters.find(ssm, with.get("name").asText(), null);
            return unchanged(now, with, type)
                    ? now.version()
                    : ssm.putParameter(request(with, type, true)).version();
        }
    }

    private static PutParameterRequest request(JsonNode with, String type, boolean overwrite) {
        PutParameterRequest.Builder request = PutParameterRequest.builder()
                .name(with.get("name").asText())
                .value(with.get("value").asText())
                .type(type)
                .overwrite(overwrite);
        if (with.hasNonNull("keyId")) {
            request.keyId(with.get("keyId").asText());
        }
        if (with.hasNonNull("description")) {
            request.description(with.get("description").asText());
        }
        return request.build();
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Writes the remembered version's value back, or deletes a parameter that did not exist. */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode output = context.output();
        String name = output.path("name").asText();
        SsmClient ssm = clients.client("ssm", SsmClient::builder, target);
        if (!output.path("previousExists").asBoolean()) {
            try {
                ssm.deleteParameter(r -> r.name(name));
            } catch (ParameterNotFoundException alreadyGone) {
                // deleted by an earlier compensation attempt
            }
            return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("deleted", name));
        }
        long previousVersion = output.path("previousVersion").asLong();
        Parameter previous = SsmParameters.find(ssm, name, previousVersion);
        if (previous == null) {
            return ActionResult.failed(
                    false,
                    "PreviousVersionUnavailable",
                    "version " + previousVersion + " of " + name
                            + " is no longer in the parameter's history; restore it by hand");
        }
        PutParameterRequest.Builder restore = PutParameterRequest.builder()
                .name(name)
                .value(previous.value())
                .type(previous.type())
                .overwrite(true);
        if (output.hasNonNull("previousKeyId") && previous.type() == ParameterType.SECURE_STRING) {
            restore.keyId(output.get("previousKeyId").asText());
        }
        long version = ssm.putParameter(restore.build()).version();
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("name", name)
                .put("restoredFromVersion", previousVersion)
                .put("version", version));
    }

    @Override
    public String describe(JsonNode parameters) {
        String type = parameters.path("type").asText("the existing type");
        String value = ParameterType.SECURE_STRING.toString().equals(type)
                ? "a hidden value"
                : "\"" + parameters.path("value").asText() + "\"";
        return "Set SSM parameter " + parameters.path("name").asText() + " (" + type + ") to " + value
                + " (compensation restores the previous version, or deletes a parameter that did not exist)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("ssm:parameter:" + parameters.path("name").asText());
    }

    /**
     * Reads the parameter (and the KMS key id of a SecureString) into the memo, reads it again and
     * writes the new value unless it is already there.
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode name = JsonNodeFactory.instance
                .objectNode()
                .put("name", parameters.path("name").asText());
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(PlannedCall.read("Ssm", "GetParameter", "ssm:GetParameter", name));
        // The KMS key of a SecureString is read from its metadata (the plan's type is the best guess of the current
        // one).
        if (ParameterType.SECURE_STRING
                .toString()
                .equals(parameters.path("type").asText())) {
            calls.add(PlannedCall.read("Ssm", "DescribeParameters", "ssm:DescribeParameters", name));
        }
        calls.add(PlannedCall.read("Ssm", "GetParameter", "ssm:GetParameter", name));
        calls.add(PlannedCall.change(
                "Ssm",
                "PutParameter",
                "ssm:PutParameter",
                name.deepCopy().put("type", parameters.path("type").asText("(unchanged)")),
                resources(parameters).iterator().next()));
        return calls;
    }

    /** Puts the previous version back, or deletes a parameter the step created: either may be needed. */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        ObjectNode name = JsonNodeFactory.instance
                .objectNode()
                .put("name", parameters.path("name").asText());
        String resource = resources(parameters).iterator().next();
        return List.of(
                PlannedCall.read("Ssm", "GetParameter", "ssm:GetParameter", name),
                PlannedCall.change("Ssm", "PutParameter", "ssm:PutParameter", name, resource),
                PlannedCall.change("Ssm", "DeleteParameter", "ssm:DeleteParameter", name, resource));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        SsmClient ssm = clients.client("ssm", SsmClient::builder, target);
        Parameter current = SsmParameters.find(ssm, parameters.path("name").asText(), null);
        return List.of(PreflightFinding.ok(
                "resource-exists",
                resources(parameters).iterator().next(),
                current == null
                        ? "the parameter does not exist yet: the step creates it, compensation deletes it"
                        : "version " + current.version() + " exists (" + current.typeAsString() + ")"));
    }
}
