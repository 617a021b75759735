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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@code aws.ecs.runTask}: the seeds' temporary migration task (pg_dump | pg_restore, rsync) run to
 * completion. The step's idempotency token is the task's {@code startedBy} and RunTask client
 * token, and tasks already started with it are looked for first, so a crash between RunTask and
 * recording its ARN does not start a second copy. Polls until STOPPED, then succeeds only if every
 * essential container exited 0 ({@link TaskOutcome}). Nothing to compensate: a copy is not undone.
 */
@Component
public class RunTaskAction extends AwsAction {

    public static final String NAME = "aws.ecs.runTask";

    public RunTaskAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String cluster = with.get("cluster").asText();
        Duration poll = Duration.parse(with.path("pollInterval").asText("PT15S"));
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        String taskArn = context.progress().path("memo").path("taskArn").asText(null);
        if (taskArn == null) {
            String startedBy = startedBy(context.idempotencyToken());
            taskArn = findStarted(ecs, cluster, startedBy);
            boolean found = taskArn != null;
            if (!found) {
                taskArn = start(ecs, with, startedBy, clientToken(context.idempotencyToken()));
            }
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.putObject("memo").put("taskArn", taskArn);
            return ActionResult.inProgress(poll, progress, (found ? "found task " : "started task ") + taskArn);
        }
        Task task = describe(ecs, cluster, taskArn);
        if (!"STOPPED".equals(task.lastStatus())) {
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.set("memo", context.progress().get("memo"));
            return ActionResult.inProgress(poll, progress, "task " + taskArn + " is " + task.lastStatus());
        }
        return TaskOutcome.judge(task, essentialContainers(ecs, task.taskDefinitionArn()));
    }

    private static String findStarted(EcsClient ecs, String cluster, String startedBy) {
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            List<String> arns = ecs.listTasks(
                            r -> r.cluster(cluster).startedBy(startedBy).desiredStatus(status))
                    .taskArns();
            if (!arns.isEmpty()) {
                return arns.get(0);
            }
        }
        return null;
    }

    private static String start(EcsClient ecs, JsonNode with, String startedBy, String clientToken) {
        RunTaskResponse response = ecs.runTask(RunTaskRequests.of(with, startedBy, clientToken));
        if (!response.tasks().isEmpty()) {
            return response.tasks().get(0).taskArn();
        }
        List<String> reasons = new ArrayList<>();
        boolean capacity = false;
        for (Failure failure : response.failures()) {
            reasons.add(failure.reason() + (failure.detail() == null ? "" : " (" + failure.detail() + ")"));
            // Not enough CPU/memory/ports or an agent hiccup may pass once capacity frees up.
            capacity |= failure.reason() != null
                    && (failure.reason().startsWith("RESOURCE")
                            || failure.reason().startsWith("AGENT"));
        }
        throw new ActionFailure(capacity, "RunTaskFailed", "ECS could not start the task: " + reasons);
    }

    private static Task describe(EcsClient ecs, String cluster, String taskArn) {
        var response = ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn));
        if (response.tasks().isEmpty()) {
            // ECS forgets stopped tasks after about an hour.
            throw new ActionFailure(
                    false, "TaskNotFound", "ECS task " + taskArn + " is no longer known: " + response.failures());
        }
        return response.tasks().get(0);
    }

    private static Set<String> essentialContainers(EcsClient ecs, String taskDefinitionArn) {
        Set<String> essential = new LinkedHashSet<>();
        for (ContainerDefinition c : ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinitionArn))
                .taskDefinition()
                .containerDefinitions()) {
            // Containers are essential unless the definition says otherwise.
            if (c.essential() == null || c.essential()) {
                essential.add(c.name());
            }
        }
        return essential;
    }

    /** startedBy takes up to 128 letters, digits, '-', '_' and '/'. */
    static String startedBy(String token) {
        String clean = token.replaceAll("[^A-Za-z0-9_/-]", "-");
        return clean.length() <= 128 ? clean : clean.substring(0, 128);
    }

    /** RunTask's client token takes up to 64 characters; a longer step token is hashed. */
    static String clientToken(String token) {
        if (token.length() <= 64) {
            return token;
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Run a one-off ECS task of " + parameters.path("taskDefinition").asText() + " in cluster "
                + parameters.path("cluster").asText() + " and wait until it stops; fails unless every essential"
                + " container exits 0 (not compensable)";
    }

    /**
     * Tasks already started for this step are looked for (running, then stopped), the task is
     * started (passing its roles), then polled until it stops and its essential containers are read.
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode task = arguments("cluster", with.path("cluster"), "taskDefinition", with.path("taskDefinition"));
        ObjectNode start = task.deepCopy();
        for (String field : new String[] {"launchType", "platformVersion", "networkConfiguration", "overrides"}) {
            if (with.has(field)) {
                start.set(field, with.get(field).deepCopy());
            }
        }
        return List.of(
                PlannedCall.read(EcsCalls.ECS, "ListTasks", "ecs:ListTasks", task),
                new PlannedCall(
                        EcsCalls.ECS,
                        "RunTask",
                        List.of("ecs:RunTask", "iam:PassRole"),
                        start,
                        List.of("ecs:task:" + with.path("cluster").asText() + "/(a new task of "
                                + with.path("taskDefinition").asText() + ")")),
                PlannedCall.read(EcsCalls.ECS, "DescribeTasks", "ecs:DescribeTasks", task),
                PlannedCall.read(EcsCalls.ECS, "DescribeTaskDefinition", "ecs:DescribeTaskDefinition", task));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        EcsClient ecs = clients.client("ecs", EcsClient::builder, target);
        List<PreflightFinding> findings = new ArrayList<>();
        String cluster = with.path("cluster").asText();
        var clusters = ecs.describeClusters(r -> r.clusters(cluster)).clusters();
        findings.add(
                clusters.isEmpty() || !"ACTIVE".equals(clusters.get(0).status())
                        ? PreflightFinding.blocking(
                                "resource-exists", "ecs:cluster:" + cluster, "no ACTIVE ECS cluster")
                        : PreflightFinding.ok("resource-exists", "ecs:cluster:" + cluster, "ACTIVE"));
        if (!unresolved(with.path("taskDefinition"))) {
            String arn = ecs.describeTaskDefinition(
                            r -> r.taskDefinition(with.get("taskDefinition").asText()))
                    .taskDefinition()
                    .taskDefinitionArn();
            findings.add(PreflightFinding.ok(
                    "resource-exists",
                    "ecs:task-definition:" + with.get("taskDefinition").asText(),
                    arn));
        }
        return findings;
    }
}
