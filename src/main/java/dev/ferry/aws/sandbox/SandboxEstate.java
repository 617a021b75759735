package dev.ferry.aws.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids of the seeded Fluxion estate that a plan's parameters need; in a real account they
 * would come from the guide's inventory, here moto makes them up on every start.
 */
public record SandboxEstate(
        String region,
        String vpcId,
        List<String> subnetIds,
        String securityGroupId,
        String fileSystemId,
        List<String> mountTargetIds,
        String kmsKeyArn,
        String cluster,
        String service,
        String taskDefinitionArn,
        String databaseEndpoint,
        String hostedZoneId,
        String backupBucket) {

    public SandboxEstate {
        subnetIds = List.copyOf(subnetIds);
        mountTargetIds = List.copyOf(mountTargetIds);
    }

    /** What an {@code efs-encryption} job's parameters would be, ready to paste into a request. */
    public Map<String, Object> efsEncryptionParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("cluster", cluster);
        parameters.put("service", service);
        parameters.put("sourceFileSystemId", fileSystemId);
        parameters.put("kmsKeyId", kmsKeyArn);
        parameters.put("subnetIds", subnetIds);
        parameters.put("securityGroupIds", List.of(securityGroupId));
        // The emulator finishes at once: no need to wait 15 s between looks.
        parameters.put("pollInterval", "PT2S");
        return parameters;
    }
}
