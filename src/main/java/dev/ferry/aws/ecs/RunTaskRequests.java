package dev.ferry.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/** Builds the RunTask request of {@code aws.ecs.runTask} from its {@code with} block. */
final class RunTaskRequests {

    private RunTaskRequests() {}

    static RunTaskRequest of(JsonNode with, String startedBy, String clientToken) {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(with.get("cluster").asText())
                .taskDefinition(with.get("taskDefinition").asText())
                .count(1)
                .startedBy(startedBy)
                .clientToken(clientToken);
        if (with.hasNonNull("launchType")) {
            request.launchType(with.get("launchType").asText());
        }
        if (with.hasNonNull("platformVersion")) {
            request.platformVersion(with.get("platformVersion").asText());
        }
        JsonNode network = with.path("networkConfiguration");
        if (!network.isMissingNode()) {
            request.networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(texts(network.path("subnets")))
                    .securityGroups(texts(network.path("securityGroups")))
                    .assignPublicIp(
                            network.path("assignPublicIp").asBoolean(false)
                                    ? AssignPublicIp.ENABLED
                                    : AssignPublicIp.DISABLED)));
        }
        if (with.has("overrides")) {
            request.overrides(o -> o.containerOverrides(containerOverrides(with.get("overrides"))));
        }
        return request.build();
    }

    private static List<ContainerOverride> containerOverrides(JsonNode overrides) {
        List<ContainerOverride> result = new ArrayList<>();
        overrides.fields().forEachRemaining(entry -> {
            ContainerOverride.Builder container = ContainerOverride.builder().name(entry.getKey());
            JsonNode override = entry.getValue();
            if (override.has("command")) {
                container.command(texts(override.get("command")));
            }
            if (override.has("environment")) {
                List<KeyValuePair> environment = new ArrayList<>();
                override.get("environment")
                        .fields()
                        .forEachRemaining(e -> environment.add(KeyValuePair.builder()
                                .name(e.getKey())
                                .value(e.getValue().asText())
                                .build()));
                container.environment(environment);
            }
            result.add(container.build());
        });
        return result;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
