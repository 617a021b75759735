package dev.ferry.aws.efs;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code aws.efs.describe}: the runbook's VERIFY check "{@code Encrypted == true}" and its kin, as a
 * read-only assertion. Every expectation that does not hold is named in one non-retryable failure,
 * with what was observed; it never changes anything.
 */
@Component
public class DescribeFileSystemAction extends AwsAction {

    public static final String NAME = "aws.efs.describe";

    public DescribeFileSystemAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String id = with.get("fileSystemId").asText();
        EfsClient efs = clients.client("efs", EfsClient::builder, target);
        FileSystemDescription fs = EfsSupport.fileSystem(efs, id)
                .orElseThrow(() ->
                        new ActionFailure(false, "FileSystemNotFound", "EFS file system " + id + " does not exist"));
        ObjectNode observed = observed(fs);
        List<String> broken = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> expectations = with.path("expect").fields();
        while (expectations.hasNext()) {
            Map.Entry<String, JsonNode> expected = expectations.next();
            if (!holds(expected.getKey(), expected.getValue(), observed, target)) {
                broken.add(expected.getKey() + ": expected " + expected.getValue() + " but was "
                        + observed.get(expected.getKey()));
            }
        }
        if (!broken.isEmpty()) {
            ObjectNode detail = JsonNodeFactory.instance.objectNode();
            detail.set("observed", observed);
            return new ActionResult.Failed(
                    false, "EXPECTATION_FAILED", "EFS file system " + id + ": " + String.join("; ", broken), detail);
        }
        return ActionResult.succeeded(observed);
    }

    private static ObjectNode observed(FileSystemDescription fs) {
        ObjectNode observed = JsonNodeFactory.instance
                .objectNode()
                .put("fileSystemId", fs.fileSystemId())
                .put("fileSystemArn", fs.fileSystemArn())
                .put("encrypted", Boolean.TRUE.equals(fs.encrypted()))
                .put("kmsKeyId", fs.kmsKeyId())
                .put("lifeCycleState", fs.lifeCycleStateAsString())
                .put("performanceMode", fs.performanceModeAsString())
                .put("throughputMode", fs.throughputModeAsString())
                .put("numberOfMountTargets", fs.numberOfMountTargets());
        if (fs.sizeInBytes() != null) {
            observed.put("sizeInBytes", fs.sizeInBytes().value());
        }
        return observed;
    }

    private boolean holds(String name, JsonNode expected, ObjectNode observed, AwsTarget target) {
        JsonNode actual = observed.get(name);
        if ("kmsKeyId".equals(name)) {
            return sameKey(actual == null || actual.isNull() ? null : actual.asText(), expected.asText(), target);
        }
        if (expected.isNumber()) {
            return actual != null && actual.isNumber() && actual.asLong() == expected.asLong();
        }
        return Objects.equals(actual, expected);
    }

    /**
     * EFS reports the key as an ARN while plans often name it by id or alias: ids are compared by
     * their last segment, and an alias is resolved through KMS.
     */
    private boolean sameKey(String actual, String expected, AwsTarget target) {
        if (actual == null) {
            return false;
        }
        if (actual.equals(expected) || lastSegment(actual).equals(lastSegment(expected))) {
            return true;
        }
        if (expected.startsWith("alias/") || expected.contains(":alias/")) {
            KeyMetadata key = clients.client("kms", KmsClient::builder, target)
                    .describeKey(r -> r.keyId(expected))
                    .keyMetadata();
            return lastSegment(actual).equals(key.keyId());
        }
        return false;
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Check that EFS file system " + parameters.path("fileSystemId").asText() + " has "
                + parameters.path("expect") + " (read-only)";
    }

    /** An expected key named by alias is resolved through KMS when EFS reports another name for it. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(PlannedCall.read(
                EfsSupport.EFS,
                "DescribeFileSystems",
                "elasticfilesystem:DescribeFileSystems",
                arguments("fileSystemId", with.path("fileSystemId"))));
        String key = with.path("expect").path("kmsKeyId").asText("");
        if (key.startsWith("alias/") || key.contains(":alias/")) {
            calls.add(PlannedCall.read("Kms", "DescribeKey", "kms:DescribeKey", arguments("keyId", key)));
        }
        return calls;
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        if (unresolved(with.path("fileSystemId"))) {
            return List.of();
        }
        return EfsSupport.inspect(clients.client("efs", EfsClient::builder, target), with.path("fileSystemId"));
    }
}
