package dev.ferry.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * {@code aws.ecs.updateService}: the seeds' cutover "point the service at the new revision and
 * force a new deployment". The previous task definition, desired count and PRIMARY deployment are
 * captured in the memo first; a retry skips the update when the service already shows it (the
 * task definition is set, or a new PRIMARY deployment replaced the remembered one), so a lost
 * result never forces a second deployment. Compensation puts the previous task definition back.
 */
@Component
public class UpdateServiceAction extends AwsAction {

    public static final String NAME = "aws.ecs.updateService";

    public UpdateServiceAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode memo = context.progress().path("memo");
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        Service service = ScaleServiceAction.describe(
                ecs, with.get("cluster").asText(), with.get("service").asText());
        if (!memo.has("previousTaskDefinition")) {
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.putObject("memo")
                    .put("previousTaskDefinition", service.taskDefinition())
                    .put("previousDesiredCount", service.desiredCount())
                    .put("previousDeploymentId", primaryDeploymentId(service))
                    .put("serviceArn", service.serviceArn());
            return ActionResult.inProgress(
                    Duration.ZERO, progress, "captured previous task definition " + service.taskDefinition());
        }
        Service updated = alreadyApplied(service, with, memo)
                ? service
                : ecs.updateService(request(with)).service();
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("serviceArn", updated.serviceArn())
                .put("taskDefinition", updated.taskDefinition())
                .put(
                        "previousTaskDefinition",
                        memo.get("previousTaskDefinition").asText())
                .put("desiredCount", updated.desiredCount())
                .put("previousDesiredCount", memo.get("previousDesiredCount").asInt())
                .put("deploymentId", primaryDeploymentId(updated)));
    }

    private static UpdateServiceRequest request(JsonNode with) {
        UpdateServiceRequest.Builder request = UpdateServiceRequest.builder()
                .cluster(with.get("cluster").asText())
                .service(with.get("service").asText())
                .forceNewDeployment(with.path("forceNewDeployment").asBoolean(false));
        if (with.hasNonNull("taskDefinition")) {
            request.taskDefinition(with.get("taskDefinition").asText());
        }
        if (with.hasNonNull("desiredCount")) {
            request.desiredCount(with.get("desiredCount").asInt());
        }
        return request.build();
    }

    /** Whether an earlier call's update already reached ECS (its result was lost). */
    static boolean alreadyApplied(Service service, JsonNode with, JsonNode memo) {
        boolean taskDefinitionSet = !with.hasNonNull("taskDefinition")
                || sameTaskDefinition(
                        service.taskDefinition(), with.get("taskDefinition").asText());
        boolean countSet = !with.hasNonNull("desiredCount")
                || service.desiredCount() == with.get("desiredCount").asInt();
        boolean deployed = !with.path("forceNewDeployment").asBoolean(false)
                || !memo.path("previousDeploymentId").asText("").equals(primaryDeploymentId(service));
        return taskDefinitionSet && countSet && deployed;
    }

    /** A plan may name {@code family:revision} while ECS answers with the full ARN. */
    private static boolean sameTaskDefinition(String actualArn, String wanted) {
        return actualArn.equals(wanted) || actualArn.endsWith("/" + wanted);
    }

    private static String primaryDeploymentId(Service service) {
        return service.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .map(Deployment::id)
                .findFirst()
                .orElse(null);
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Back to the previous task definition (a new deployment), and the previous count if this step set one. */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode output = context.output();
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        String previous = output.path("previousTaskDefinition").asText();
        UpdateServiceRequest.Builder request = UpdateServiceRequest.builder()
                .cluster(with.get("cluster").asText())
                .service(with.get("service").asText())
                .taskDefinition(previous);
        if (with.hasNonNull("desiredCount")) {
            request.desiredCount(output.path("previousDesiredCount").asInt());
        }
        Service restored = ecs.updateService(request.build()).service();
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("restoredTaskDefinition", restored.taskDefinition())
                .put("desiredCount", restored.desiredCount()));
    }

    @Override
    public String describe(JsonNode parameters) {
        StringBuilder text = new StringBuilder("Update ECS service ")
                .append(parameters.path("service").asText())
                .append(" in cluster ")
                .append(parameters.path("cluster").asText())
                .append(":");
        if (parameters.hasNonNull("taskDefinition")) {
            text.append(" task definition ")
                    .append(parameters.get("taskDefinition").asText())
                    .append(";");
        }
        if (parameters.hasNonNull("desiredCount")) {
            text.append(" desired count ")
                    .append(parameters.get("desiredCount").asInt())
                    .append(";");
        }
        if (parameters.path("forceNewDeployment").asBoolean(false)) {
            text.append(" force a new deployment;");
        }
        return text.append(" compensation returns it to its previous task definition")
                .toString();
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("ecs:service:" + parameters.path("cluster").asText() + "/"
                + parameters.path("service").asText());
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode arguments = EcsCalls.service(with);
        for (String field : new String[] {"taskDefinition", "desiredCount", "forceNewDeployment"}) {
            if (with.hasNonNull(field)) {
                arguments.set(field, with.get(field).deepCopy());
            }
        }
        return List.of(EcsCalls.describeServices(with), EcsCalls.updateService(with, arguments));
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        ObjectNode arguments = EcsCalls.service(with).put("taskDefinition", "(the task definition before the step)");
        if (with.hasNonNull("desiredCount")) {
            arguments.put("desiredCount", "(the desired count before the step)");
        }
        return List.of(EcsCalls.updateService(with, arguments));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        List<PreflightFinding> findings = new ArrayList<>(EcsCalls.inspectService(ecs, with));
        JsonNode taskDefinition = with.path("taskDefinition");
        if (!unresolved(taskDefinition)) {
            String arn = ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition.asText()))
                    .taskDefinition()
                    .taskDefinitionArn();
            findings.add(PreflightFinding.ok("resource-exists", "ecs:task-definition:" + taskDefinition.asText(), arn));
        }
        return findings;
    }
}
