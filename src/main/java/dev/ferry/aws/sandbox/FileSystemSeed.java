package dev.ferry.aws.sandbox;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;

/**
 * The problem the EFS plan exists to fix: {@code fluxion-data}, an UNENCRYPTED file system holding
 * the production database, mounted in both private subnets.
 */
final class FileSystemSeed {

    static final String CREATION_TOKEN = "fluxion-data";

    record Ids(String fileSystemId, List<String> mountTargetIds) {}

    private final EfsClient efs;

    FileSystemSeed(EfsClient efs) {
        this.efs = efs;
    }

    Ids seed(List<String> subnetIds, String securityGroupId) {
        String fileSystemId = fileSystem();
        List<MountTargetDescription> existing =
                efs.describeMountTargets(r -> r.fileSystemId(fileSystemId)).mountTargets();
        Set<String> mounted =
                existing.stream().map(MountTargetDescription::subnetId).collect(Collectors.toSet());
        List<String> created = subnetIds.stream()
                .filter(subnet -> !mounted.contains(subnet))
                .map(subnet -> efs.createMountTarget(r ->
                                r.fileSystemId(fileSystemId).subnetId(subnet).securityGroups(securityGroupId))
                        .mountTargetId())
                .toList();
        List<String> mountTargetIds = Stream.concat(
                        existing.stream().map(MountTargetDescription::mountTargetId), created.stream())
                .toList();
        return new Ids(fileSystemId, mountTargetIds);
    }

    private String fileSystem() {
        // The creation token is EFS's own idempotency key: looking it up finds a previous seed.
        List<FileSystemDescription> found =
                efs.describeFileSystems(r -> r.creationToken(CREATION_TOKEN)).fileSystems();
        if (!found.isEmpty()) {
            return found.get(0).fileSystemId();
        }
        return efs.createFileSystem(r -> r.creationToken(CREATION_TOKEN)
                        .encrypted(false)
                        .performanceMode("generalPurpose")
                        .tags(t -> t.key("Name").value(CREATION_TOKEN), t -> t.key("Project")
                                .value("fluxion")))
                .fileSystemId();
    }
}
