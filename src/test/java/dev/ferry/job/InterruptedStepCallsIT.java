package dev.ferry.job;

import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.Previews;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** A step cut short keeps the AWS calls its attempt made, in its error: the record stays complete. */
class InterruptedStepCallsIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: cluster, type: string, required: true}
            phases:
              freeze:
                steps:
                  - id: settle
                    action: aws.ecs.waitStable
                    with: {cluster: "${params.cluster}", service: backend, pollInterval: PT0.2S}
            """;

    @Test
    void aCancelledPollKeepsTheCallsItMade() {
        // moto leaves a service created with tasks pending for good: the wait never ends by itself.
        String cluster = EcsFixtures.clusterWithBackend(AwsEmulator.client(EcsClient.builder()), "interrupted", 2);
        Api api = api();
        UUID id = Jobs.start(api, "olivia", Jobs.registerPlan(api, "interrupted", PLAN), Map.of("cluster", cluster));
        Awaitility.await().until(() -> step(Jobs.get(api, id), "settle")
                .path("message")
                .asText()
                .startsWith("waiting:"));

        api.as("olivia").post("/api/v1/jobs/" + id + "/cancel", Map.of("reason", "window closed"));

        JsonNode cancelled = Jobs.awaitState(api, id, "CANCELLED");
        JsonNode error = step(cancelled, "settle").get("error");
        assertThat(error.get("code").asText()).isIn("ABANDONED", "CANCELLED");
        assertThat(Previews.operations(error.get("awsCalls"))).isNotEmpty().containsOnly("Ecs DescribeServices");
    }
}
