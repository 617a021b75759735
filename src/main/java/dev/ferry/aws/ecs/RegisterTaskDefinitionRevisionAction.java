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
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * {@code aws.ecs.registerTaskDefinitionRevision}: what the seeds' CDK redeploy does at cutover — the
 * service's current task definition again, pointing at the new EFS (and with the given environment
 * or image). The source is pinned in the memo first: once a revision is registered, "the latest of
 * the family" is no longer the source. ECS has no client token here, so each revision is tagged
 * with a fingerprint of source and overrides, and a retry reuses a revision that already has it.
 */
@Component
public class RegisterTaskDefinitionRevisionAction extends AwsAction {

    public static final String NAME = "aws.ecs.registerTaskDefinitionRevision";
    /** How many of the family's newest revisions are searched for an earlier registration. */
    private static final int LOOKBACK = 20;

    public RegisterTaskDefinitionRevisionAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode memo = context.progress().path("memo");
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        if (!memo.has("sourceArn")) {
            String sourceArn = sourceArn(ecs, with);
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.putObject("memo")
                    .put("sourceArn", sourceArn)
                    .put("fingerprint", TaskDefinitionRevision.fingerprint(sourceArn, with));
            return ActionResult.inProgress(Duration.ZERO, progress, "copying " + sourceArn);
        }
        String fingerprint = memo.get("fingerprint").asText();
        DescribeTaskDefinitionResponse source = ecs.describeTaskDefinition(
                r -> r.taskDefinition(memo.get("sourceArn").asText()).include(TaskDefinitionField.TAGS));
        TaskDefinition existing = findRegistered(ecs, source.taskDefinition(), fingerprint);
        if (existing != null) {
            return output(existing, source.taskDefinition(), fingerprint, true);
        }
        TaskDefinition registered = ecs.registerTaskDefinition(
                        TaskDefinitionRevision.copy(source.taskDefinition(), source.tags(), with, fingerprint))
                .taskDefinition();
        return output(registered, source.taskDefinition(), fingerprint, false);
    }

    private static String sourceArn(EcsClient ecs, JsonNode with) {
        if (with.hasNonNull("taskDefinition")) {
            return ecs.describeTaskDefinition(
                            r -> r.taskDefinition(with.get("taskDefinition").asText()))
                    .taskDefinition()
                    .taskDefinitionArn();
        }
        return ScaleServiceAction.describe(
                        ecs, with.get("cluster").asText(), with.get("service").asText())
                .taskDefinition();
    }

    /** A revision newer than the source that an earlier call of this step (or an identical one) registered. */
    private static TaskDefinition findRegistered(EcsClient ecs, TaskDefinition source, String fingerprint) {
        List<String> arns = ecs.listTaskDefinitions(r -> r.familyPrefix(source.family())
                        .status(TaskDefinitionStatus.ACTIVE)
                        .sort(SortOrder.DESC)
                        .maxResults(LOOKBACK))
                .taskDefinitionArns();
        // Sorted again here: emulators (moto) ignore the requested order.
        List<String> newer = arns.stream()
                .filter(arn -> family(arn).equals(source.family()) && revision(arn) > source.revision())
                .sorted(Comparator.comparingInt(RegisterTaskDefinitionRevisionAction::revision)
                        .reversed())
                .toList();
        for (String arn : newer) {
            DescribeTaskDefinitionResponse candidate =
                    ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
            boolean ours = candidate.tags().stream()
                    .anyMatch(t -> t.key().equals(TaskDefinitionRevision.OVERRIDES_TAG)
                            && t.value().equals(fingerprint));
            if (ours) {
                return candidate.taskDefinition();
            }
        }
        return null;
    }

    /** The family of {@code arn:...:task-definition/family:revision} (familyPrefix also matches longer names). */
    private static String family(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1, arn.lastIndexOf(':'));
    }

    private static int revision(String arn) {
        return Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1));
    }

    private static ActionResult output(
            TaskDefinition revision, TaskDefinition source, String fingerprint, boolean reused) {
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("taskDefinitionArn", revision.taskDefinitionArn())
                .put("previousTaskDefinitionArn", source.taskDefinitionArn())
                .put("family", revision.family())
                .put("revision", revision.revision())
                .put("fingerprint", fingerprint)
                .put("reused", reused));
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Deregisters the new revision; one already inactive counts as done. */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        String arn = context.output().path("taskDefinitionArn").asText();
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        TaskDefinition current =
                ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
        if (current.status() == TaskDefinitionStatus.ACTIVE) {
            ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn));
        }
        return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("deregisteredTaskDefinitionArn", arn));
    }

    @Override
    public String describe(JsonNode parameters) {
        String source = parameters.hasNonNull("taskDefinition")
                ? "task definition " + parameters.get("taskDefinition").asText()
                : "the current task definition of ECS service "
                        + parameters.path("service").asText() + " in cluster "
                        + parameters.path("cluster").asText();
        return "Register a new revision of " + source + " with " + overrides(parameters)
                + " (compensation deregisters the new revision)";
    }

    private static String overrides(JsonNode parameters) {
        StringBuilder text = new StringBuilder();
        parameters.path("efsVolumes").fields().forEachRemaining(e -> text.append("volume ")
                .append(e.getKey())
                .append(" on ")
                .append(
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().path("fileSystemId").asText())
                .append(", "));
        parameters.path("environment").fields().forEachRemaining(e -> text.append("environment of ")
                .append(e.getKey())
                .append(" (")
                .append(String.join(", ", (Iterable<String>) () -> e.getValue().fieldNames()))
                .append("), "));
        parameters.path("images").fields().forEachRemaining(e -> text.append("image of ")
                .append(e.getKey())
                .append(" = ")
                .append(e.getValue().asText())
                .append(", "));
        return text.isEmpty() ? "no overrides" : text.substring(0, text.length() - 2);
    }

    /**
     * The source is read (from the service, or by name), the family's newest revisions are searched
     * for an earlier registration of this step, then the copy is registered with its tags (which
     * needs {@code ecs:TagResource}) and the roles of the source (which need {@code iam:PassRole}).
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode source = with.hasNonNull("taskDefinition")
                ? arguments("taskDefinition", with.get("taskDefinition"))
                : arguments("taskDefinition", "(the service's current task definition)");
        ObjectNode overrides = source.deepCopy();
        for (String field : new String[] {"efsVolumes", "environment", "images"}) {
            if (with.has(field)) {
                overrides.set(field, with.get(field).deepCopy());
            }
        }
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(
                with.hasNonNull("taskDefinition")
                        ? PlannedCall.read(EcsCalls.ECS, "DescribeTaskDefinition", "ecs:DescribeTaskDefinition", source)
                        : EcsCalls.describeServices(with));
        calls.add(PlannedCall.read(EcsCalls.ECS, "DescribeTaskDefinition", "ecs:DescribeTaskDefinition", source));
        calls.add(PlannedCall.read(EcsCalls.ECS, "ListTaskDefinitions", "ecs:ListTaskDefinitions", source));
        calls.add(new PlannedCall(
                EcsCalls.ECS,
                "RegisterTaskDefinition",
                List.of("ecs:RegisterTaskDefinition", "ecs:TagResource", "iam:PassRole"),
                overrides,
                List.of(familyResource(with))));
        return calls;
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        ObjectNode revision = arguments("taskDefinition", "(the revision this step registered)");
        return List.of(
                PlannedCall.read(EcsCalls.ECS, "DescribeTaskDefinition", "ecs:DescribeTaskDefinition", revision),
                PlannedCall.change(
                        EcsCalls.ECS,
                        "DeregisterTaskDefinition",
                        "ecs:DeregisterTaskDefinition",
                        revision,
                        familyResource(with)));
    }

    private static String familyResource(JsonNode with) {
        return "ecs:task-definition:"
                + (with.hasNonNull("taskDefinition")
                        ? familyOf(with.get("taskDefinition").asText())
                        : "(family of " + EcsCalls.serviceResource(with).substring("ecs:service:".length()) + ")");
    }

    /** {@code family}, {@code family:3} or a task definition ARN, down to the family. */
    private static String familyOf(String name) {
        String tail = name.substring(name.lastIndexOf('/') + 1);
        return tail.contains(":") ? tail.substring(0, tail.indexOf(':')) : tail;
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        if (!with.hasNonNull("taskDefinition")) {
            return EcsCalls.inspectService(ecs, with);
        }
        if (unresolved(with.get("taskDefinition"))) {
            return List.of();
        }
        TaskDefinition source = ecs.describeTaskDefinition(
                        r -> r.taskDefinition(with.get("taskDefinition").asText()))
                .taskDefinition();
        return List.of(PreflightFinding.ok(
                "resource-exists",
                "ecs:task-definition:" + source.family(),
                source.taskDefinitionArn() + " is " + source.statusAsString()));
    }
}
