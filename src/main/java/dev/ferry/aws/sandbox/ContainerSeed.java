package dev.ferry.aws.sandbox;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * {@code fluxion-cluster} with the backend: task definition {@code FluxionBackendTask} (container
 * {@code backend} mounting the {@code fluxion-data} EFS volume) and service {@code fluxion-backend}
 * at 2 tasks, as the guide's inventory shows.
 */
final class ContainerSeed {

    static final String CLUSTER = "fluxion-cluster";
    static final String SERVICE = "fluxion-backend";
    static final String FAMILY = "FluxionBackendTask";
    static final String CONTAINER = "backend";
    static final String VOLUME = "fluxion-data";
    static final int DESIRED_COUNT = 2;
    /** The migration helper (aws cli, rsync, md5sum, pg tools) the plans run as one-off tasks. */
    static final String TOOLS_FAMILY = "FluxionMigrationTools";

    record Ids(String cluster, String service, String taskDefinitionArn) {}

    private final EcsClient ecs;
    private final String region;

    ContainerSeed(EcsClient ecs, String region) {
        this.ecs = ecs;
        this.region = region;
    }

    Ids seed(String fileSystemId, List<String> subnetIds, String securityGroupId) {
        cluster();
        String taskDefinition = latestTaskDefinition().orElseGet(() -> registerTaskDefinition(fileSystemId));
        service(taskDefinition, subnetIds, securityGroupId);
        if (latest(TOOLS_FAMILY).isEmpty()) {
            registerTools(fileSystemId);
        }
        return new Ids(CLUSTER, SERVICE, taskDefinition);
    }

    private void cluster() {
        boolean active = ecs.describeClusters(r -> r.clusters(CLUSTER)).clusters().stream()
                .anyMatch(c -> "ACTIVE".equals(c.status()));
        if (!active) {
            ecs.createCluster(
                    r -> r.clusterName(CLUSTER).capacityProviders("FARGATE").tags(t -> t.key("Project")
                            .value("fluxion")));
        }
    }

    private Optional<String> latestTaskDefinition() {
        // A later revision (a cutover that re-pointed the volume) is the one to keep, never the seed's.
        return latest(FAMILY);
    }

    private Optional<String> latest(String family) {
        return ecs
                .listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns()
                .stream()
                .filter(arn -> arn.contains(":task-definition/" + family + ":"))
                .max(Comparator.comparingInt(ContainerSeed::revision));
    }

    /**
     * Mounts the current file system as both efs-old and efs-new: a plan registers a revision with
     * efs-new on the file system it created before running a copy.
     */
    private void registerTools(String fileSystemId) {
        ecs.registerTaskDefinition(r -> r.family(TOOLS_FAMILY)
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu("1024")
                .memory("2048")
                .containerDefinitions(c -> c.name("tools")
                        .image("public.ecr.aws/aws-cli/aws-cli:latest")
                        .essential(true)
                        // Container-level sizes too: moto sums them for RunTask.
                        .cpu(1024)
                        .memory(2048)
                        .mountPoints(
                                m -> m.sourceVolume("efs-old").containerPath("/mnt/efs-old"),
                                m -> m.sourceVolume("efs-new").containerPath("/mnt/efs-new")))
                .volumes(
                        v -> v.name("efs-old").efsVolumeConfiguration(efs -> efs.fileSystemId(fileSystemId)),
                        v -> v.name("efs-new").efsVolumeConfiguration(efs -> efs.fileSystemId(fileSystemId))));
    }

    private String registerTaskDefinition(String fileSystemId) {
        String image = "611395766952.dkr.ecr." + region + ".amazonaws.com/fluxion-backend:latest";
        return ecs.registerTaskDefinition(r -> r.family(FAMILY)
                        .requiresCompatibilities(Compatibility.FARGATE)
                        .networkMode(NetworkMode.AWSVPC)
                        .cpu("1024")
                        .memory("2048")
                        .containerDefinitions(c -> c.name(CONTAINER)
                                .image(image)
                                .essential(true)
                                .portMappings(p -> p.containerPort(8001))
                                .environment(e -> e.name("ENVIRONMENT").value("production"), e -> e.name("POSTGRES_DB")
                                        .value("fluxion_production"))
                                .mountPoints(m -> m.sourceVolume(VOLUME).containerPath("/data")))
                        .volumes(v -> v.name(VOLUME).efsVolumeConfiguration(efs -> efs.fileSystemId(fileSystemId)
                                .rootDirectory("/fluxion-data"))))
                .taskDefinition()
                .taskDefinitionArn();
    }

    private void service(String taskDefinition, List<String> subnetIds, String securityGroupId) {
        // Present and active is enough: a restart must not undo a desired count a job has set.
        boolean active = ecs.describeServices(r -> r.cluster(CLUSTER).services(SERVICE)).services().stream()
                .anyMatch(s -> "ACTIVE".equals(s.status()));
        if (!active) {
            // Created at 0 and then scaled: moto completes a deployment only when it comes from an update,
            // and the plans wait for a completed deployment as on real ECS.
            ecs.createService(r -> r.cluster(CLUSTER)
                    .serviceName(SERVICE)
                    .taskDefinition(taskDefinition)
                    .desiredCount(0)
                    .launchType(LaunchType.FARGATE)
                    .enableExecuteCommand(true)
                    .networkConfiguration(
                            n -> n.awsvpcConfiguration(a -> a.subnets(subnetIds).securityGroups(securityGroupId)))
                    .tags(t -> t.key("Project").value("fluxion")));
            ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).desiredCount(DESIRED_COUNT));
        }
    }

    private static int revision(String taskDefinitionArn) {
        return Integer.parseInt(taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf(':') + 1));
    }
}
