package dev.ferry.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * {@code aws.ecs.scaleService}: the seeds' "scale the backend to 0". The previous desired count is
 * captured in the step's memo before anything changes, so a retry after an unclear failure still
 * knows the original value, and compensation puts it back.
 */
@Component
public class ScaleServiceAction extends AwsAction {

    public static final String NAME = "aws.ecs.scaleService";

    public ScaleServiceAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode memo = context.progress().path("memo");
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        if (!memo.has("previousDesiredCount")) {
            Service service = describe(
                    ecs, with.get("cluster").asText(), with.get("service").asText());
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.putObject("memo")
                    .put("previousDesiredCount", service.desiredCount())
                    .put("serviceArn", service.serviceArn());
            return ActionResult.inProgress(
                    Duration.ZERO, progress, "captured previous desired count " + service.desiredCount());
        }
        int desired = with.get("desiredCount").asInt();
        Service updated = ecs.updateService(r -> r.cluster(with.get("cluster").asText())
                        .service(with.get("service").asText())
                        .desiredCount(desired))
                .service();
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("serviceArn", updated.serviceArn())
                .put("previousDesiredCount", memo.get("previousDesiredCount").asInt())
                .put("desiredCount", desired));
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        int previous = context.output().path("previousDesiredCount").asInt();
        clients.client("ecs", EcsClient::builder, target)
                .updateService(r -> r.cluster(with.get("cluster").asText())
                        .service(with.get("service").asText())
                        .desiredCount(previous));
        return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("restoredDesiredCount", previous));
    }

    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("ecs:service:" + parameters.path("cluster").asText() + "/"
                + parameters.path("service").asText());
    }

    static Service describe(EcsClient ecs, String cluster, String service) {
        return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().stream()
                .filter(s -> !"INACTIVE".equals(s.status()))
                .findFirst()
                .orElseThrow(() -> new ActionFailure(
                        false,
                        "ServiceNotFoundException",
                        "ECS service " + service + " not found in cluster " + cluster));
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Scale ECS service " + parameters.path("service").asText() + " in cluster "
                + parameters.path("cluster").asText() + " to "
                + parameters.path("desiredCount").asText()
                + " tasks (compensation restores the previous count)";
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        return List.of(
                EcsCalls.describeServices(with),
                EcsCalls.updateService(
                        with,
                        EcsCalls.service(with)
                                .set("desiredCount", with.path("desiredCount").deepCopy())));
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        return List.of(EcsCalls.updateService(
                with, EcsCalls.service(with).put("desiredCount", "(the desired count before the step)")));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        return EcsCalls.inspectService(clients.client("ecs", EcsClient::builder, target), with);
    }
}
