package dev.ferry.aws.efs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.CreateFileSystemRequest;
import software.amazon.awssdk.services.efs.model.FileSystemAlreadyExistsException;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;
import software.amazon.awssdk.services.efs.model.Tag;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code aws.efs.createFileSystem}: the runbook's "deploy the new encrypted EFS". The step's
 * idempotency token is the CreationToken, so a retry finds the file system instead of creating a
 * second one; mount targets are created only for subnets that have none yet (EFS allows one per
 * availability zone). Polls until the file system and every mount target are {@code available}.
 */
@Component
public class CreateFileSystemAction extends AwsAction {

    public static final String NAME = "aws.efs.createFileSystem";

    private static final Set<String> DEAD = Set.of("deleting", "deleted", "error");

    public CreateFileSystemAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        EfsClient efs = clients.client("efs", EfsClient::builder, target);
        FileSystemDescription fs =
                byToken(efs, context.idempotencyToken()).orElseGet(() -> create(efs, with, context.idempotencyToken()));
        String id = fs.fileSystemId();
        String state = fs.lifeCycleStateAsString();
        if (DEAD.contains(state)) {
            throw new ActionFailure(false, "FileSystemUnusable", "EFS file system " + id + " is " + state);
        }
        if (!"available".equals(state)) {
            return waiting(with, id, "EFS file system " + id + " is " + state);
        }
        List<MountTargetDescription> targets = ensureMountTargets(efs, id, with);
        List<String> pending = new ArrayList<>();
        for (MountTargetDescription t : targets) {
            if (DEAD.contains(t.lifeCycleStateAsString())) {
                throw new ActionFailure(
                        false,
                        "MountTargetUnusable",
                        "mount target " + t.mountTargetId() + " of " + id + " is " + t.lifeCycleStateAsString());
            }
            if (!"available".equals(t.lifeCycleStateAsString())) {
                pending.add(t.mountTargetId() + " " + t.lifeCycleStateAsString());
            }
        }
        if (!pending.isEmpty()) {
            return waiting(with, id, "mount targets of " + id + " not available yet: " + pending);
        }
        return ActionResult.succeeded(output(fs, targets));
    }

    private static Optional<FileSystemDescription> byToken(EfsClient efs, String token) {
        return efs.describeFileSystems(r -> r.creationToken(token)).fileSystems().stream()
                .findFirst();
    }

    private static FileSystemDescription create(EfsClient efs, JsonNode with, String token) {
        CreateFileSystemRequest.Builder request = CreateFileSystemRequest.builder()
                .creationToken(token)
                .encrypted(with.path("encrypted").asBoolean(true));
        if (with.hasNonNull("kmsKeyId")) {
            request.kmsKeyId(with.get("kmsKeyId").asText());
        }
        if (with.hasNonNull("performanceMode")) {
            request.performanceMode(with.get("performanceMode").asText());
        }
        if (with.hasNonNull("throughputMode")) {
            request.throughputMode(with.get("throughputMode").asText());
        }
        if (with.hasNonNull("provisionedThroughputInMibps")) {
            request.provisionedThroughputInMibps(
                    with.get("provisionedThroughputInMibps").asDouble());
        }
        List<Tag> tags = new ArrayList<>();
        with.path("tags")
                .fields()
                .forEachRemaining(e -> tags.add(Tag.builder()
                        .key(e.getKey())
                        .value(e.getValue().asText())
                        .build()));
        if (!tags.isEmpty()) {
            request.tags(tags);
        }
        try {
            String id = efs.createFileSystem(request.build()).fileSystemId();
            return efs.describeFileSystems(r -> r.fileSystemId(id))
                    .fileSystems()
                    .get(0);
        } catch (FileSystemAlreadyExistsException raced) {
            // A concurrent call for this very step won: EFS deduplicated on the token.
            return byToken(efs, token).orElseThrow(() -> raced);
        }
    }

    /** Creates a mount target in each requested subnet that has none (looked up first). */
    private static List<MountTargetDescription> ensureMountTargets(EfsClient efs, String id, JsonNode with) {
        List<MountTargetDescription> targets = new ArrayList<>(EfsSupport.mountTargets(efs, id));
        List<String> groups = new ArrayList<>();
        with.path("securityGroupIds").forEach(g -> groups.add(g.asText()));
        for (JsonNode subnet : with.path("subnetIds")) {
            boolean present = targets.stream().anyMatch(t -> subnet.asText().equals(t.subnetId()));
            if (!present) {
                var created = efs.createMountTarget(r ->
                        r.fileSystemId(id).subnetId(subnet.asText()).securityGroups(groups.isEmpty() ? null : groups));
                targets.add(MountTargetDescription.builder()
                        .mountTargetId(created.mountTargetId())
                        .subnetId(created.subnetId())
                        .lifeCycleState(created.lifeCycleStateAsString())
                        .build());
            }
        }
        return targets;
    }

    private static ActionResult waiting(JsonNode with, String id, String message) {
        return ActionResult.inProgress(
                EfsSupport.pollInterval(with),
                JsonNodeFactory.instance.objectNode().put("fileSystemId", id),
                message);
    }

    private static ObjectNode output(FileSystemDescription fs, List<MountTargetDescription> targets) {
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("fileSystemId", fs.fileSystemId())
                .put("fileSystemArn", fs.fileSystemArn())
                .put("encrypted", Boolean.TRUE.equals(fs.encrypted()))
                .put("kmsKeyId", fs.kmsKeyId());
        ArrayNode ids = output.putArray("mountTargetIds");
        targets.forEach(t -> ids.add(t.mountTargetId()));
        return output;
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Deletes the mount targets, waits until they are gone, then deletes the file system. */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        EfsClient efs = clients.client("efs", EfsClient::builder, target);
        return EfsSupport.removalStep(
                efs, context.output().path("fileSystemId").asText(), EfsSupport.pollInterval(context.parameters()));
    }

    @Override
    public String describe(JsonNode parameters) {
        boolean encrypted = parameters.path("encrypted").asBoolean(true);
        String key = parameters.hasNonNull("kmsKeyId")
                ? " with KMS key " + parameters.get("kmsKeyId").asText()
                : encrypted ? " with the AWS-managed EFS key" : "";
        return "Create an EFS file system" + (encrypted ? " encrypted" : " NOT encrypted") + key
                + " and mount targets in subnets " + parameters.path("subnetIds")
                + ", and wait until all are available (compensation deletes mount targets, then the file system)";
    }

    /**
     * The file system is looked up by its creation token, created (with its tags; a customer key
     * needs the caller's {@code kms:DescribeKey} and {@code kms:CreateGrant}) and read back, then a
     * mount target is created in each subnet that has none, and both are polled until available.
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        String created = "efs:(new file system)";
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(PlannedCall.read(
                EfsSupport.EFS,
                "DescribeFileSystems",
                "elasticfilesystem:DescribeFileSystems",
                arguments("creationToken", "(the step's idempotency token)")));
        List<String> create =
                new ArrayList<>(List.of("elasticfilesystem:CreateFileSystem", "elasticfilesystem:TagResource"));
        if (with.hasNonNull("kmsKeyId")) {
            create.addAll(List.of("kms:DescribeKey", "kms:CreateGrant"));
        }
        calls.add(new PlannedCall(
                EfsSupport.EFS,
                "CreateFileSystem",
                create,
                arguments(
                        "encrypted",
                        with.path("encrypted").asBoolean(true),
                        "kmsKeyId",
                        with.path("kmsKeyId"),
                        "performanceMode",
                        with.path("performanceMode"),
                        "throughputMode",
                        with.path("throughputMode"),
                        "tags",
                        with.path("tags")),
                List.of(created)));
        ObjectNode fs = arguments("fileSystemId", "(the new file system)");
        calls.add(
                PlannedCall.read(EfsSupport.EFS, "DescribeMountTargets", "elasticfilesystem:DescribeMountTargets", fs));
        JsonNode subnets = with.path("subnetIds");
        if (subnets.isTextual() || subnets.size() > 0) {
            calls.add(new PlannedCall(
                    EfsSupport.EFS,
                    "CreateMountTarget",
                    List.of(
                            "elasticfilesystem:CreateMountTarget",
                            "ec2:DescribeSubnets",
                            "ec2:CreateNetworkInterface",
                            "ec2:DescribeNetworkInterfaces"),
                    fs.deepCopy()
                            .setAll(arguments("subnetIds", subnets, "securityGroupIds", with.path("securityGroupIds"))),
                    List.of(created)));
        }
        return calls;
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        return EfsSupport.plannedRemoval(TextNode.valueOf("(the file system this step created)"));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        if (unresolved(with.path("kmsKeyId"))) {
            return List.of();
        }
        String key = with.get("kmsKeyId").asText();
        var metadata = clients.client("kms", KmsClient::builder, target)
                .describeKey(r -> r.keyId(key))
                .keyMetadata();
        return List.of(
                Boolean.TRUE.equals(metadata.enabled())
                        ? PreflightFinding.ok(
                                "resource-exists", "kms:" + key, "enabled " + metadata.keySpecAsString() + " key")
                        : PreflightFinding.blocking(
                                "resource-state", "kms:" + key, "KMS key is " + metadata.keyStateAsString()));
    }
}
