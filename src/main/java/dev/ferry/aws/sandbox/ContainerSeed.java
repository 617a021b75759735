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

    record Ids(String cluster, String service, String taskDefinitionArn) {
    }

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
        return new Ids(CLUSTER, SERVICE, taskDefinition);
    }

    private void cluster() {
        boolean active = ecs.describeClusters(r -> r.clusters(CLUSTER)).clusters().stream()
                .anyMatch(c -> "ACTIVE".equals(c.status()));
        if (!active) {
            ecs.createCluster(r -> r.clusterName(CLUSTER).capacityProviders("FARGATE")
                    .tags(t -> t.key("Project").value("fluxion")));
        }
    }

    private Optional<String> latestTaskDefinition() {
        // A later revision (a cutover that re-pointed the volume) is the one to keep, never the seed's.
        return ecs.listTaskDefinitions(r -> r.familyPrefix(FAMILY).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns().stream()
                .filter(arn -> arn.contains(":task-definition/" + FAMILY + ":"))
                .max(Comparator.comparingInt(ContainerSeed::revision));
    }

    private String registerTaskDefinition(String fileSystemId) {
        String image = "611395766952.dkr.ecr." + region + ".amazonaws.com/fluxion-backend:latest";
        return ecs.registerTaskDefinition(r -> r.family(FAMILY)
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu("1024")
                .memory("2048")
                .containerDefinitions(c -> c.name(CONTAINER).image(image).essential(true)
                        .portMappings(p -> p.containerPort(8001))
                        .environment(e -> e.name("ENVIRONMENT").value("production"),
                                e -> e.name("POSTGRES_DB").value("fluxion_production"))
                        .mountPoints(m -> m.sourceVolume(VOLUME).containerPath("/data")))
                .volumes(v -> v.name(VOLUME).efsVolumeConfiguration(efs -> efs.fileSystemId(fileSystemId)
                        .rootDirectory("/fluxion-data"))))
                .taskDefinition().taskDefinitionArn();
    }

    private void service(String taskDefinition, List<String> subnetIds, String securityGroupId) {
        // Present and active is enough: a restart must not undo a desired count a job has set.
        boolean active = ecs.describeServices(r -> r.cluster(CLUSTER).services(SERVICE)).services().stream()
                .anyMatch(s -> "ACTIVE".equals(s.status()));
        if (!active) {
            ecs.createService(r -> r.cluster(CLUSTER).serviceName(SERVICE).taskDefinition(taskDefinition)
                    .desiredCount(DESIRED_COUNT)
                    .launchType(LaunchType.FARGATE)
                    .enableExecuteCommand(true)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnetIds)
                            .securityGroups(securityGroupId)))
                    .tags(t -> t.key("Project").value("fluxion")));
        }
    }

    private static int revision(String taskDefinitionArn) {
        return Integer.parseInt(taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf(':') + 1));
    }
}
