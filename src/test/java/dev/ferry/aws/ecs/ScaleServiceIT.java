package dev.ferry.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@code aws.ecs.scaleService} against the emulator, read back through the SDK. */
class ScaleServiceIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ScaleServiceAction action;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;
    private String service;

    @BeforeEach
    void service() {
        cluster = EcsFixtures.clusterWithBackend(ecs, "scale", 2);
        service = "backend";
    }

    @Test
    void scalesToZeroAndCompensationRestoresThePreviousCount() {
        ActionDriver driver = new ActionDriver(action, "stop-backend");
        ObjectNode with = with(0);
        ActionResult result = driver.run(with, Duration.ofSeconds(10));
        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("previousDesiredCount").asInt()).isEqualTo(2);
        // Both invocations of the attempt: the capture, then the change.
        assertThat(output.get("awsCalls").findValuesAsText("operation"))
                .containsExactly("DescribeServices", "UpdateService");
        assertThat(desiredCount()).isZero();

        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(desiredCount()).isEqualTo(2);
    }

    @Test
    void aRetryAfterALostResultKeepsTheOriginalCount() {
        ActionDriver driver = new ActionDriver(action, "stop-backend");
        ObjectNode with = with(0);
        assertThat(driver.call(with)).isInstanceOf(ActionResult.InProgress.class);
        ObjectNode captured = driver.progress();
        // The scale call happens, then the worker dies before recording it...
        driver.call(with);
        assertThat(desiredCount()).isZero();
        // ...and the step is run again, even as a new attempt: the memo still says 2.
        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));
        assertThat(((ActionResult.Succeeded) again)
                        .output()
                        .get("previousDesiredCount")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void anUnknownServiceFailsWithoutRetry() {
        ActionResult result = new ActionDriver(action, "s")
                .run(
                        JSON.createObjectNode()
                                .put("cluster", cluster)
                                .put("service", "nope")
                                .put("desiredCount", 0),
                        Duration.ofSeconds(10));
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("ServiceNotFoundException");
    }

    @Test
    void runsAsAStepOfAJob() {
        String plan = Jobs.registerPlan(
                api(),
                "ecs-scale",
                """
                name: %s
                parameters:
                  - {name: cluster, type: string, required: true}
                phases:
                  freeze:
                    steps:
                      - id: stop-backend
                        action: aws.ecs.scaleService
                        with: {cluster: "${params.cluster}", service: backend, desiredCount: 0}
                """);
        UUID id = Jobs.create(api(), "alice", plan, Map.of("cluster", cluster));
        api().as("alice").post("/api/v1/jobs/" + id + "/start", null);
        JsonNode done = Jobs.awaitState(api(), id, "SUCCEEDED");
        assertThat(Jobs.step(done, "stop-backend")
                        .get("output")
                        .get("previousDesiredCount")
                        .asInt())
                .isEqualTo(2);
        assertThat(desiredCount()).isZero();
    }

    private ObjectNode with(int desired) {
        return JSON.createObjectNode()
                .put("cluster", cluster)
                .put("service", service)
                .put("desiredCount", desired);
    }

    private int desiredCount() {
        return EcsFixtures.desiredCount(ecs, cluster);
    }
}
