package dev.ferry.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/** The ECS calls several actions plan alike, and the service check their preflight shares. */
final class EcsCalls {

    /** As the SDK names the service in a call's attributes, and so in a step's recorded awsCalls. */
    static final String ECS = "Ecs";

    private EcsCalls() {}

    static String serviceResource(JsonNode with) {
        return "ecs:service:" + with.path("cluster").asText() + "/"
                + with.path("service").asText();
    }

    static ObjectNode service(JsonNode with) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.set("cluster", with.path("cluster").deepCopy());
        arguments.set("service", with.path("service").deepCopy());
        return arguments;
    }

    static PlannedCall describeServices(JsonNode with) {
        return PlannedCall.read(ECS, "DescribeServices", "ecs:DescribeServices", service(with));
    }

    static PlannedCall updateService(JsonNode with, ObjectNode arguments) {
        return PlannedCall.change(ECS, "UpdateService", "ecs:UpdateService", arguments, serviceResource(with));
    }

    /** The service exists and is ACTIVE (not DRAINING or deleted). */
    static List<PreflightFinding> inspectService(EcsClient ecs, JsonNode with) {
        String subject = serviceResource(with);
        Service service = ScaleServiceAction.describe(
                ecs, with.path("cluster").asText(), with.path("service").asText());
        if (!"ACTIVE".equals(service.status())) {
            return List.of(PreflightFinding.blocking("resource-state", subject, "ECS service is " + service.status()));
        }
        return List.of(PreflightFinding.ok(
                "resource-exists",
                subject,
                "ACTIVE, desired count " + service.desiredCount() + ", task definition " + service.taskDefinition()));
    }
}
