package dev.ferry.aws.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * {@code aws.cloudformation.detectDrift}: starts drift detection, polls it without holding a
 * thread, succeeds when the stack is IN_SYNC and fails for good when it is DRIFTED, naming the
 * modified and deleted resources. Detection only reads the stack (AWS keeps the result); a new
 * attempt simply starts a new detection. Read-only as far as the stack is concerned.
 */
@Component
public class DetectDriftAction extends AwsAction {

    public static final String NAME = "aws.cloudformation.detectDrift";
    static final Duration POLL = Duration.ofSeconds(5);
    private static final int LISTED = 25;

    public DetectDriftAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        String stack = context.parameters().path("stackName").asText();
        CloudFormationClient cloudFormation = clients.client("cloudformation", CloudFormationClient::builder, target);
        ObjectNode progress = context.progress().deepCopy();
        if (!progress.hasNonNull("driftDetectionId")) {
            String id = cloudFormation.detectStackDrift(r -> r.stackName(stack)).stackDriftDetectionId();
            progress.put("driftDetectionId", id);
            return ActionResult.inProgress(POLL, progress, "drift detection " + id + " started");
        }
        DescribeStackDriftDetectionStatusResponse status = cloudFormation.describeStackDriftDetectionStatus(
                r -> r.stackDriftDetectionId(progress.get("driftDetectionId").asText()));
        return judge(status, progress, () -> cloudFormation
                .describeStackResourceDriftsPaginator(r -> r.stackName(stack)
                        .stackResourceDriftStatusFilters(
                                StackResourceDriftStatus.MODIFIED, StackResourceDriftStatus.DELETED))
                .stream()
                .flatMap(page -> page.stackResourceDrifts().stream())
                .limit(LISTED)
                .toList());
    }

    /** What a detection status means for the migration; {@code drifts} is read only when DRIFTED. */
    static ActionResult judge(
            DescribeStackDriftDetectionStatusResponse status,
            ObjectNode progress,
            Supplier<List<StackResourceDrift>> drifts) {
        if (status.detectionStatus() == StackDriftDetectionStatus.DETECTION_IN_PROGRESS) {
            return ActionResult.inProgress(POLL, progress, "drift detection in progress");
        }
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("stackId", status.stackId())
                .put("driftDetectionId", status.stackDriftDetectionId())
                .put("detectionStatus", status.detectionStatusAsString())
                .put("stackDriftStatus", status.stackDriftStatusAsString())
                .put("driftedStackResourceCount", status.driftedStackResourceCount());
        if (status.stackDriftStatus() == StackDriftStatus.DRIFTED) {
            ArrayNode resources = output.putArray("driftedResources");
            drifts.get().forEach(d -> resources
                    .addObject()
                    .put("logicalResourceId", d.logicalResourceId())
                    .put("physicalResourceId", d.physicalResourceId())
                    .put("resourceType", d.resourceType())
                    .put("driftStatus", d.stackResourceDriftStatusAsString()));
            return new ActionResult.Failed(
                    false,
                    "STACK_DRIFTED",
                    "stack " + status.stackId() + " has drifted (" + status.driftedStackResourceCount()
                            + " resources): reconcile it before migrating",
                    output);
        }
        if (status.stackDriftStatus() == StackDriftStatus.IN_SYNC
                && status.detectionStatus() == StackDriftDetectionStatus.DETECTION_COMPLETE) {
            return ActionResult.succeeded(output);
        }
        // DETECTION_FAILED leaves some resources unchecked: "probably in sync" is not good enough here.
        return new ActionResult.Failed(
                false,
                "DRIFT_UNKNOWN",
                "drift detection of " + status.stackId() + " ended "
                        + status.detectionStatusAsString() + " with " + status.stackDriftStatusAsString() + ": "
                        + status.detectionStatusReason(),
                output);
    }

    @Override
    public String describe(JsonNode with) {
        return "Detect drift of CloudFormation stack " + with.path("stackName").asText()
                + " and stop if it has drifted (read-only)";
    }

    /** Starts detection, polls its status, and lists the drifted resources when there are any. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode stack = JsonNodeFactory.instance
                .objectNode()
                .put("stackName", parameters.path("stackName").asText());
        return List.of(
                PlannedCall.read("CloudFormation", "DetectStackDrift", "cloudformation:DetectStackDrift", stack),
                PlannedCall.read(
                        "CloudFormation",
                        "DescribeStackDriftDetectionStatus",
                        "cloudformation:DescribeStackDriftDetectionStatus",
                        stack),
                PlannedCall.read(
                        "CloudFormation",
                        "DescribeStackResourceDrifts",
                        "cloudformation:DescribeStackResourceDrifts",
                        stack));
    }

    /** The stack exists and is not in a failed or rolled-back state; drift itself is the job preflight's. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        String name = parameters.path("stackName").asText();
        CloudFormationClient cloudFormation = clients.client("cloudformation", CloudFormationClient::builder, target);
        String status = cloudFormation
                .describeStacks(r -> r.stackName(name))
                .stacks()
                .get(0)
                .stackStatusAsString();
        if (status.endsWith("_FAILED") || status.contains("ROLLBACK") || status.endsWith("_IN_PROGRESS")) {
            return List.of(PreflightFinding.blocking(
                    "resource-state", "cloudformation:stack:" + name, "the stack is " + status));
        }
        return List.of(
                PreflightFinding.ok("resource-exists", "cloudformation:stack:" + name, "the stack is " + status));
    }
}
