package dev.ferry.support;

import java.util.UUID;
import software.amazon.awssdk.services.ecs.EcsClient;

/** ECS estates for tests: a fresh cluster with one service, in the emulator. */
public final class EcsFixtures {

    private EcsFixtures() {}

    /** Creates cluster {@code <prefix>-<random>} with service {@code backend} at {@code desired} tasks. */
    public static String clusterWithBackend(EcsClient ecs, String prefix, int desired) {
        String cluster = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        String taskDefinition = ecs.registerTaskDefinition(r -> r.family(cluster + "-task")
                        .containerDefinitions(c -> c.name("app").image("nginx").memory(128)))
                .taskDefinition()
                .taskDefinitionArn();
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(taskDefinition)
                .desiredCount(desired));
        return cluster;
    }

    public static int desiredCount(EcsClient ecs, String cluster) {
        return ecs.describeServices(r -> r.cluster(cluster).services("backend"))
                .services()
                .get(0)
                .desiredCount();
    }
}
