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
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * {@code aws.ecs.waitStable}: the seeds' {@code aws ecs wait services-stable}, as polls that free
 * the thread. Stricter than the CLI waiter: besides one deployment and running == desired, it wants
 * no pending tasks and, where ECS reports it, a COMPLETED rollout; a FAILED rollout (circuit
 * breaker) fails the step at once instead of waiting for the timeout. Read-only.
 */
@Component
public class WaitStableAction extends AwsAction {

    public static final String NAME = "aws.ecs.waitStable";

    public WaitStableAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        Service service = ScaleServiceAction.describe(
                ecs, with.get("cluster").asText(), with.get("service").asText());
        if ("DRAINING".equals(service.status())) {
            throw new ActionFailure(
                    false,
                    "ServiceDraining",
                    "ECS service " + service.serviceName() + " is being deleted (DRAINING) and will never be stable");
        }
        failOnFailedRollout(service.deployments());
        if (isStable(service)) {
            return ActionResult.succeeded(JsonNodeFactory.instance
                    .objectNode()
                    .put("serviceArn", service.serviceArn())
                    .put("taskDefinition", service.taskDefinition())
                    .put("desiredCount", service.desiredCount())
                    .put("runningCount", service.runningCount())
                    .put(
                            "deploymentId",
                            service.deployments().isEmpty()
                                    ? null
                                    : service.deployments().get(0).id()));
        }
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        progress.put("polls", context.progress().path("polls").asInt() + 1);
        return ActionResult.inProgress(
                Duration.parse(with.path("pollInterval").asText("PT15S")),
                progress,
                "waiting: running " + service.runningCount() + "/" + service.desiredCount() + ", pending "
                        + service.pendingCount() + ", deployments "
                        + service.deployments().size());
    }

    /** Whether ECS has settled: one PRIMARY deployment, fully rolled out, nothing pending. */
    static boolean isStable(Service service) {
        List<Deployment> deployments = service.deployments();
        if (deployments.size() != 1 || !"PRIMARY".equals(deployments.get(0).status())) {
            return false;
        }
        String rollout = deployments.get(0).rolloutStateAsString();
        return (rollout == null || "COMPLETED".equals(rollout))
                && service.runningCount().equals(service.desiredCount())
                && service.pendingCount() == 0;
    }

    private static void failOnFailedRollout(List<Deployment> deployments) {
        for (Deployment deployment : deployments) {
            if ("PRIMARY".equals(deployment.status()) && "FAILED".equals(deployment.rolloutStateAsString())) {
                throw new ActionFailure(
                        false,
                        "DeploymentFailed",
                        "ECS deployment " + deployment.id() + " failed: " + deployment.rolloutStateReason());
            }
        }
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Wait until ECS service " + parameters.path("service").asText() + " in cluster "
                + parameters.path("cluster").asText() + " is stable (one completed deployment, running == desired,"
                + " nothing pending); read-only";
    }

    /** One DescribeServices per poll. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        return List.of(EcsCalls.describeServices(with));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        return EcsCalls.inspectService(clients.client("ecs", EcsClient::builder, target), with);
    }
}
