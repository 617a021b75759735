package dev.ferry.aws.efs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.FileSystemInUseException;
import software.amazon.awssdk.services.efs.model.FileSystemNotFoundException;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;
import software.amazon.awssdk.services.efs.model.MountTargetNotFoundException;

/** Lookups and the mount-targets-first removal the EFS actions share. */
final class EfsSupport {

    private EfsSupport() {}

    static Optional<FileSystemDescription> fileSystem(EfsClient efs, String fileSystemId) {
        try {
            return efs.describeFileSystems(r -> r.fileSystemId(fileSystemId)).fileSystems().stream()
                    .findFirst();
        } catch (FileSystemNotFoundException gone) {
            return Optional.empty();
        }
    }

    static List<MountTargetDescription> mountTargets(EfsClient efs, String fileSystemId) {
        try {
            return efs.describeMountTargetsPaginator(r -> r.fileSystemId(fileSystemId)).stream()
                    .flatMap(page -> page.mountTargets().stream())
                    .toList();
        } catch (FileSystemNotFoundException gone) {
            return List.of();
        }
    }

    static Duration pollInterval(JsonNode with) {
        return Duration.parse(with.path("pollInterval").asText("PT30S"));
    }

    /**
     * One look at a file system on its way out: mount targets are deleted and waited for first
     * (EFS refuses to delete a file system that still has any), then the file system itself, until
     * it is gone. Safe to call any number of times; a file system already gone is done.
     */
    static ActionResult removalStep(EfsClient efs, String fileSystemId, Duration poll) {
        Optional<FileSystemDescription> fs = fileSystem(efs, fileSystemId);
        if (fs.isEmpty()) {
            return ActionResult.succeeded(JsonNodeFactory.instance
                    .objectNode()
                    .put("fileSystemId", fileSystemId)
                    .put("deleted", true));
        }
        List<MountTargetDescription> targets = mountTargets(efs, fileSystemId);
        if (!targets.isEmpty()) {
            targets.stream()
                    .filter(t -> !"deleting".equals(t.lifeCycleStateAsString()))
                    .forEach(t -> deleteMountTarget(efs, t.mountTargetId()));
            return waiting(
                    poll,
                    fileSystemId,
                    "waiting for " + targets.size() + " mount target(s) of " + fileSystemId + " to be deleted");
        }
        if (!"deleting".equals(fs.get().lifeCycleStateAsString())) {
            try {
                efs.deleteFileSystem(r -> r.fileSystemId(fileSystemId));
            } catch (FileSystemNotFoundException gone) {
                return removalStep(efs, fileSystemId, poll);
            } catch (FileSystemInUseException stillMounted) {
                // A mount target deleted a moment ago may not have let go yet: look again later.
                return waiting(poll, fileSystemId, fileSystemId + " still in use");
            }
        }
        return waiting(poll, fileSystemId, "waiting for " + fileSystemId + " to be deleted");
    }

    private static void deleteMountTarget(EfsClient efs, String mountTargetId) {
        try {
            efs.deleteMountTarget(r -> r.mountTargetId(mountTargetId));
        } catch (MountTargetNotFoundException gone) {
            // deleted by an earlier call
        }
    }

    private static ActionResult waiting(Duration poll, String fileSystemId, String message) {
        ObjectNode progress = JsonNodeFactory.instance.objectNode().put("fileSystemId", fileSystemId);
        return ActionResult.inProgress(poll, progress, message);
    }

    static final String EFS = "Efs";

    static String resource(Object fileSystemId) {
        return "efs:" + (fileSystemId instanceof JsonNode node ? node.asText() : fileSystemId);
    }

    /** The calls of {@link #removalStep} until the file system is gone (mount targets first). */
    static List<PlannedCall> plannedRemoval(JsonNode fileSystemId) {
        ObjectNode fs = JsonNodeFactory.instance.objectNode();
        fs.set("fileSystemId", fileSystemId.deepCopy());
        return List.of(
                PlannedCall.read(EFS, "DescribeFileSystems", "elasticfilesystem:DescribeFileSystems", fs),
                PlannedCall.read(EFS, "DescribeMountTargets", "elasticfilesystem:DescribeMountTargets", fs),
                new PlannedCall(
                        EFS,
                        "DeleteMountTarget",
                        List.of("elasticfilesystem:DeleteMountTarget", "ec2:DeleteNetworkInterface"),
                        fs.deepCopy().put("mountTargetId", "(each mount target)"),
                        List.of(resource(fileSystemId))),
                PlannedCall.change(
                        EFS, "DeleteFileSystem", "elasticfilesystem:DeleteFileSystem", fs, resource(fileSystemId)));
    }

    /** The file system exists and is {@code available}. */
    static List<PreflightFinding> inspect(EfsClient efs, JsonNode fileSystemId) {
        String subject = resource(fileSystemId);
        Optional<FileSystemDescription> fs = fileSystem(efs, fileSystemId.asText());
        if (fs.isEmpty()) {
            return List.of(PreflightFinding.blocking("resource-exists", subject, "no such EFS file system"));
        }
        String state = fs.get().lifeCycleStateAsString();
        return List.of(
                "available".equals(state)
                        ? PreflightFinding.ok(
                                "resource-exists",
                                subject,
                                "available, encrypted: " + fs.get().encrypted())
                        : PreflightFinding.blocking("resource-state", subject, "EFS file system is " + state));
    }
}
