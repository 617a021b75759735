package dev.ferry.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/** {@code aws.ecs.updateService} against the emulator, read back through the SDK. */
class UpdateServiceIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    UpdateServiceAction action;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;
    private String oldRevision;
    private String newRevision;

    @BeforeEach
    void createService() {
        cluster = "update-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        oldRevision = register("backend:1");
        newRevision = register("backend:2");
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(oldRevision)
                .desiredCount(0));
    }

    @Test
    void pointsTheServiceAtTheNewRevisionAndCompensationReturnsItToThePreviousOne() {
        ActionDriver driver = new ActionDriver(action, "cutover");
        ObjectNode with =
                with().put("taskDefinition", newRevision).put("desiredCount", 1).put("forceNewDeployment", true);

        ActionResult result = driver.run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("previousTaskDefinition").asText()).isEqualTo(oldRevision);
        assertThat(output.get("previousDesiredCount").asInt()).isZero();
        assertThat(service().taskDefinition()).isEqualTo(newRevision);
        assertThat(service().desiredCount()).isEqualTo(1);

        ActionResult undone = driver.compensate(with, output);
        assertThat(undone).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(service().taskDefinition()).isEqualTo(oldRevision);
        assertThat(service().desiredCount()).isZero();
    }

    @Test
    void aRetryAfterALostResultDoesNotForceASecondDeployment() {
        ActionDriver driver = new ActionDriver(action, "redeploy");
        ObjectNode with = with().put("forceNewDeployment", true);
        String before = deploymentId();
        assertThat(driver.call(with)).isInstanceOf(ActionResult.InProgress.class);
        ObjectNode captured = driver.progress();
        driver.call(with);
        String forced = deploymentId();
        assertThat(forced).isNotEqualTo(before);

        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) again).output();
        assertThat(deploymentId()).isEqualTo(forced);
        assertThat(output.get("deploymentId").asText()).isEqualTo(forced);
        assertThat(output.get("awsCalls").findValuesAsText("operation")).doesNotContain("UpdateService");
    }

    @Test
    void aFamilyRevisionNameCountsAsAlreadySet() {
        String name = newRevision.substring(newRevision.lastIndexOf('/') + 1);
        ecs.updateService(r -> r.cluster(cluster).service("backend").taskDefinition(newRevision));
        ActionDriver driver = new ActionDriver(action, "cutover");
        ObjectNode with = with().put("taskDefinition", name);

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("awsCalls").findValuesAsText("operation")).doesNotContain("UpdateService");
        assertThat(output.get("previousTaskDefinition").asText()).isEqualTo(newRevision);
    }

    @Test
    void anUnknownTaskDefinitionFailsWithoutRetry() {
        ActionResult result =
                new ActionDriver(action, "cutover").run(with().put("taskDefinition", "nope:9"), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(service().taskDefinition()).isEqualTo(oldRevision);
    }

    private ObjectNode with() {
        return JSON.createObjectNode().put("cluster", cluster).put("service", "backend");
    }

    private String register(String image) {
        return ecs.registerTaskDefinition(r -> r.family(cluster + "-backend")
                        .containerDefinitions(c -> c.name("app").image(image).memory(128)))
                .taskDefinition()
                .taskDefinitionArn();
    }

    private Service service() {
        return ecs.describeServices(r -> r.cluster(cluster).services("backend"))
                .services()
                .get(0);
    }

    private String deploymentId() {
        return service().deployments().get(0).id();
    }
}
