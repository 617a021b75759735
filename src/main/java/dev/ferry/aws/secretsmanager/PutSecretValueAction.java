package dev.ferry.aws.secretsmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
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
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/**
 * {@code aws.secretsmanager.putSecretValue}: CUTOVER's "point the application at the new database"
 * when its endpoint lives in a secret. Writes a whole {@code secretString}, or merges {@code set}
 * into the current JSON value. The current version id is captured in the memo before writing; the
 * new version's id (ClientRequestToken) is derived from the step's token, so a retry finds its own
 * version instead of adding another. Compensation writes the previous value back as a new version.
 */
@Component
public class PutSecretValueAction extends AwsAction {

    public static final String NAME = "aws.secretsmanager.putSecretValue";

    private static final ObjectMapper JSON = new ObjectMapper();

    public PutSecretValueAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String secretId = with.get("secretId").asText();
        String ours = SecretVersions.versionId(context.idempotencyToken());
        SecretsManagerClient secrets = clients.client("secretsmanager", SecretsManagerClient::builder, target);
        DescribeSecretResponse secret = secrets.describeSecret(r -> r.secretId(secretId));
        JsonNode memo = context.progress().path("memo");
        if (!memo.has("secretArn")) {
            return capture(secret, ours);
        }
        if (!secret.versionIdsToStages().containsKey(ours)) {
            String value = with.has("secretString")
                    ? with.get("secretString").asText()
                    : merged(secrets, secretId, with.get("set"));
            secrets.putSecretValue(PutSecretValueRequest.builder()
                    .secretId(secretId)
                    .secretString(value)
                    .clientRequestToken(ours)
                    .build());
        }
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("secretArn", secret.arn())
                .put("name", secret.name())
                .put("versionId", ours)
                .put("previousVersionId", memo.path("previousVersionId").asText(null));
        if (with.has("set")) {
            ArrayNode keys = output.putArray("changedKeys");
            with.get("set").fieldNames().forEachRemaining(keys::add);
        }
        return ActionResult.succeeded(output);
    }

    /**
     * Remembers which version is current before anything is written. If this step's version is
     * already current (a write whose capture was lost), the version before it is the previous one.
     */
    private static ActionResult capture(DescribeSecretResponse secret, String ours) {
        Map<String, List<String>> versions = secret.versionIdsToStages();
        String current =
                SecretVersions.withStage(versions, SecretVersions.CURRENT).orElse(null);
        String previous = ours.equals(current)
                ? SecretVersions.withStage(versions, SecretVersions.PREVIOUS).orElse(null)
                : current;
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        progress.putObject("memo").put("secretArn", secret.arn()).put("previousVersionId", previous);
        return ActionResult.inProgress(
                Duration.ZERO, progress, "secret " + secret.name() + " is at version " + previous);
    }

    /** The current JSON object with {@code set} merged in; never shows the value in an error. */
    private static String merged(SecretsManagerClient secrets, String secretId, JsonNode set) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        String current = secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
        if (current != null) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(current);
            } catch (JsonProcessingException e) {
                parsed = null;
            }
            if (parsed == null || !parsed.isObject()) {
                throw new ActionFailure(
                        false,
                        "SecretNotJsonObject",
                        "the current value of secret " + secretId
                                + " is not a JSON object, so keys cannot be set in it; give a whole secretString instead");
            }
            value = (ObjectNode) parsed;
        }
        value.setAll((ObjectNode) set);
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /**
     * Writes the previous version's value back as a new version (id derived from the version being
     * undone, so a repeated compensation adds nothing). Refuses if someone changed the secret after
     * this step: restoring would silently discard their change.
     */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode output = context.output();
        String secretId = output.path("secretArn").asText();
        String written = output.path("versionId").asText();
        String previous = output.path("previousVersionId").asText(null);
        String restore = SecretVersions.versionId("undo:" + written);
        ObjectNode result = JsonNodeFactory.instance
                .objectNode()
                .put("secretArn", secretId)
                .put("restoredFromVersionId", previous)
                .put("versionId", restore);
        if (previous == null) {
            return ActionResult.failed(
                    false,
                    "NoPreviousVersion",
                    "secret " + secretId + " had no current version before this step; nothing to restore");
        }
        SecretsManagerClient secrets = clients.client("secretsmanager", SecretsManagerClient::builder, target);
        Map<String, List<String>> versions =
                secrets.describeSecret(r -> r.secretId(secretId)).versionIdsToStages();
        String current =
                SecretVersions.withStage(versions, SecretVersions.CURRENT).orElse(null);
        if (restore.equals(current)) {
            return ActionResult.succeeded(result);
        }
        if (!written.equals(current)) {
            return ActionResult.failed(
                    false,
                    "SecretChangedSince",
                    "secret " + secretId + " is now at version " + current + ", not " + written
                            + " which this step wrote; not restoring over that change");
        }
        GetSecretValueResponse old =
                secrets.getSecretValue(r -> r.secretId(secretId).versionId(previous));
        PutSecretValueRequest.Builder put =
                PutSecretValueRequest.builder().secretId(secretId).clientRequestToken(restore);
        secrets.putSecretValue((old.secretString() != null
                        ? put.secretString(old.secretString())
                        : put.secretBinary(old.secretBinary()))
                .build());
        return ActionResult.succeeded(result);
    }

    @Override
    public String describe(JsonNode parameters) {
        String secret = parameters.path("secretId").asText();
        if (parameters.has("set")) {
            List<String> keys = new ArrayList<>();
            parameters.get("set").fieldNames().forEachRemaining(keys::add);
            return "Set " + keys + " in the JSON of secret " + secret + " as a new version (values not shown; "
                    + "compensation restores the previous version's value)";
        }
        return "Write a new value (not shown) to secret " + secret
                + " (compensation restores the previous version's value)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("secretsmanager:" + parameters.path("secretId").asText());
    }

    /**
     * Describes the secret into the memo, describes it again, reads the current value when only some
     * keys are set, and writes the new version. Arguments never carry the value.
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode secret = JsonNodeFactory.instance
                .objectNode()
                .put("secretId", parameters.path("secretId").asText());
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(PlannedCall.read("SecretsManager", "DescribeSecret", "secretsmanager:DescribeSecret", secret));
        calls.add(PlannedCall.read("SecretsManager", "DescribeSecret", "secretsmanager:DescribeSecret", secret));
        if (parameters.has("set")) {
            calls.add(PlannedCall.read("SecretsManager", "GetSecretValue", "secretsmanager:GetSecretValue", secret));
        }
        calls.add(PlannedCall.change(
                "SecretsManager",
                "PutSecretValue",
                "secretsmanager:PutSecretValue",
                secret,
                resources(parameters).iterator().next()));
        return calls;
    }

    /** Finds the previous version, reads its value and writes it back as the current one. */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        ObjectNode secret = JsonNodeFactory.instance
                .objectNode()
                .put("secretId", parameters.path("secretId").asText());
        return List.of(
                PlannedCall.read("SecretsManager", "DescribeSecret", "secretsmanager:DescribeSecret", secret),
                PlannedCall.read("SecretsManager", "GetSecretValue", "secretsmanager:GetSecretValue", secret),
                PlannedCall.change(
                        "SecretsManager",
                        "PutSecretValue",
                        "secretsmanager:PutSecretValue",
                        secret,
                        resources(parameters).iterator().next()));
    }

    /** The secret exists and is not scheduled for deletion (a write to it would be refused). */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        SecretsManagerClient secrets = clients.client("secretsmanager", SecretsManagerClient::builder, target);
        DescribeSecretResponse secret = secrets.describeSecret(
                r -> r.secretId(parameters.path("secretId").asText()));
        String subject = resources(parameters).iterator().next();
        if (secret.deletedDate() != null) {
            return List.of(PreflightFinding.blocking(
                    "resource-state", subject, "the secret is scheduled for deletion on " + secret.deletedDate()));
        }
        return List.of(PreflightFinding.ok("resource-exists", subject, "the secret exists"));
    }
}
