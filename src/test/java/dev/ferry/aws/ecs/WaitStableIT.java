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

/**
 * {@code aws.ecs.waitStable} against the emulator. Moto never moves a deployment on by itself: a
 * service created with tasks stays "pending, rollout IN_PROGRESS" (the not-yet-stable case), one
 * created at 0 and scaled through UpdateService reports its tasks running with a COMPLETED rollout.
 */
class WaitStableIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WaitStableAction action;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;
    private String taskDefinition;

    @BeforeEach
    void cluster() {
        cluster = "stable-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        taskDefinition = ecs.registerTaskDefinition(r -> r.family(cluster + "-task")
                        .containerDefinitions(c -> c.name("app").image("nginx").memory(128)))
                .taskDefinition()
                .taskDefinitionArn();
    }

    @Test
    void succeedsOnceRunningMatchesDesiredWithOneCompletedDeployment() {
        createService(0);
        ecs.updateService(r -> r.cluster(cluster).service("backend").desiredCount(2));

        ActionResult result = new ActionDriver(action, "settle").run(with("backend"), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("runningCount").asInt()).isEqualTo(2);
        assertThat(output.get("taskDefinition").asText()).isEqualTo(taskDefinition);
        assertThat(output.get("awsCalls").get(0).get("operation").asText()).isEqualTo("DescribeServices");
    }

    @Test
    void keepsPollingAtTheGivenIntervalWhileTasksArePending() {
        createService(2);

        ActionResult first =
                new ActionDriver(action, "settle").call(with("backend").put("pollInterval", "PT20S"));

        assertThat(first).isInstanceOf(ActionResult.InProgress.class);
        ActionResult.InProgress waiting = (ActionResult.InProgress) first;
        assertThat(waiting.pollAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(waiting.message()).contains("running 0/2", "pending 2");
    }

    @Test
    void defaultsToFifteenSecondsBetweenPolls() {
        createService(1);

        ActionResult first = new ActionDriver(action, "settle").call(with("backend"));

        assertThat(((ActionResult.InProgress) first).pollAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void anUnknownServiceFailsWithoutRetry() {
        ActionResult result = new ActionDriver(action, "settle").call(with("nope"));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("ServiceNotFoundException");
    }

    @Test
    void describesItselfAsReadOnly() {
        assertThat(action.describe(with("backend"))).contains("backend", cluster, "read-only");
    }

    private void createService(int desired) {
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(taskDefinition)
                .desiredCount(desired));
    }

    private ObjectNode with(String service) {
        return JSON.createObjectNode().put("cluster", cluster).put("service", service);
    }
}
