package dev.ferry.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The seeds' EFS cutover as a job: register a revision on the new file system, point the service
 * at it with a new deployment, wait until stable; each step reads the previous one's output.
 */
class CutoverPlanIT extends FerryIT {

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());

    @Test
    void registersDeploysAndWaitsAsStepsOfAJob() {
        String cluster = "cutover-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        String original = ecs.registerTaskDefinition(r -> r.family(cluster + "-backend")
                        .containerDefinitions(
                                c -> c.name("app").image("backend:1").memory(128))
                        .volumes(v -> v.name("data").efsVolumeConfiguration(e -> e.fileSystemId("fs-0a1d"))))
                .taskDefinition()
                .taskDefinitionArn();
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(original)
                .desiredCount(0));
        String plan = Jobs.registerPlan(
                api(),
                "efs-cutover",
                """
                name: %s
                parameters:
                  - {name: cluster, type: string, required: true}
                  - {name: fileSystemId, type: string, required: true}
                phases:
                  cutover:
                    steps:
                      - id: revision
                        action: aws.ecs.registerTaskDefinitionRevision
                        with: {cluster: "${params.cluster}", service: backend, efsVolumes: {data: "${params.fileSystemId}"}}
                      - id: deploy
                        action: aws.ecs.updateService
                        with:
                          cluster: "${params.cluster}"
                          service: backend
                          taskDefinition: "${steps.revision.output.taskDefinitionArn}"
                          desiredCount: 1
                          forceNewDeployment: true
                      - id: settle
                        action: aws.ecs.waitStable
                        with: {cluster: "${params.cluster}", service: backend, pollInterval: PT0.1S}
                """);
        UUID id = Jobs.create(api(), "alice", plan, Map.of("cluster", cluster, "fileSystemId", "fs-0b2e"));
        api().as("alice").post("/api/v1/jobs/" + id + "/start", null);

        JsonNode done = Jobs.awaitState(api(), id, "SUCCEEDED");

        String revision = Jobs.step(done, "revision")
                .get("output")
                .get("taskDefinitionArn")
                .asText();
        assertThat(Jobs.step(done, "deploy")
                        .get("output")
                        .get("previousTaskDefinition")
                        .asText())
                .isEqualTo(original);
        assertThat(Jobs.step(done, "settle").get("output").get("runningCount").asInt())
                .isEqualTo(1);
        Service service = ecs.describeServices(r -> r.cluster(cluster).services("backend"))
                .services()
                .get(0);
        assertThat(service.taskDefinition()).isEqualTo(revision);
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(revision))
                        .taskDefinition()
                        .volumes()
                        .get(0)
                        .efsVolumeConfiguration()
                        .fileSystemId())
                .isEqualTo("fs-0b2e");
    }

    @Test
    void planRegistrationRejectsParametersOutsideTheSchemas() {
        Api.Response response = api().as("plan-author")
                .post(
                        "/api/v1/plans",
                        "application/yaml",
                        """
                name: %s
                phases:
                  cutover:
                    steps:
                      - id: revision
                        action: aws.ecs.registerTaskDefinitionRevision
                        with: {cluster: c, service: s, efsVolumes: {data: not-a-file-system}}
                      - id: deploy
                        action: aws.ecs.updateService
                        with: {cluster: c, service: s, image: nginx}
                      - id: copy
                        action: aws.ecs.runTask
                        with: {cluster: c, taskDefinition: t, launchType: LAMBDA}
                """
                                .formatted(Jobs.uniquePlanName("bad-ecs")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.toString())
                .contains("steps[0].with.efsVolumes.data", "steps[1].with.image", "steps[2].with.launchType");
    }
}
