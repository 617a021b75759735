package dev.ferry.aws.ssm;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.ListCommandsResponse;

/**
 * {@code aws.ssm.sendCommand}: the seeds' "ssh to the migration instance and run rsync / md5sum",
 * through Run Command (AWS-RunShellScript). SendCommand has no client token, so the command carries
 * the step's idempotency token in its comment and the CommandId goes into the memo: a retry polls
 * that command, and after a crash before the memo was stored the instance's recent commands are
 * searched for the comment before anything is sent again. Succeeds when every instance reports
 * Success with exit code 0; otherwise fails with the exit codes and the tail of stdout/stderr.
 */
@Component
public class SendCommandAction extends AwsAction {

    public static final String NAME = "aws.ssm.sendCommand";
    /** Pages of ListCommands searched for an earlier send (50 commands each, newest first). */
    private static final int LOOKBACK_PAGES = 4;

    public SendCommandAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        SsmClient ssm = clients.client("ssm", SsmClient::builder, target);
        Duration poll = Duration.parse(with.path("pollInterval").asText("PT15S"));
        List<String> instances = texts(with.get("instanceIds"));
        String commandId = context.progress().path("memo").path("commandId").asText(null);
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        if (commandId == null) {
            String marker = marker(context.idempotencyToken());
            commandId = findSent(ssm, instances.get(0), marker);
            boolean found = commandId != null;
            if (!found) {
                commandId = send(ssm, with, instances, marker);
            }
            progress.putObject("memo").put("commandId", commandId);
            return ActionResult.inProgress(poll, progress, (found ? "found command " : "sent command ") + commandId);
        }
        progress.set("memo", context.progress().get("memo"));
        Map<String, CommandInvocations.Outcome> outcomes = CommandInvocations.poll(ssm, commandId, instances);
        List<String> running = outcomes.entrySet().stream()
                .filter(e -> !e.getValue().terminal())
                .map(e -> e.getKey() + " " + e.getValue().status())
                .toList();
        if (!running.isEmpty()) {
            return ActionResult.inProgress(poll, progress, "command " + commandId + " still running on " + running);
        }
        return CommandInvocations.judge(commandId, outcomes);
    }

    private static String send(SsmClient ssm, JsonNode with, List<String> instances, String marker) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("commands", texts(with.get("commands")));
        if (with.hasNonNull("workingDirectory")) {
            parameters.put(
                    "workingDirectory", List.of(with.get("workingDirectory").asText()));
        }
        if (with.hasNonNull("executionTimeout")) {
            parameters.put(
                    "executionTimeout", List.of(with.get("executionTimeout").asText()));
        }
        return ssm.sendCommand(r -> r.instanceIds(instances)
                        .documentName("AWS-RunShellScript")
                        .parameters(parameters)
                        .comment(marker))
                .command()
                .commandId();
    }

    /** A command this step sent earlier, found by the marker in its comment; null if none. */
    private static String findSent(SsmClient ssm, String instanceId, String marker) {
        String next = null;
        for (int page = 0; page < LOOKBACK_PAGES; page++) {
            String token = next;
            ListCommandsResponse response = ssm.listCommands(
                    r -> r.instanceId(instanceId).maxResults(50).nextToken(token));
            for (Command command : response.commands()) {
                if (marker.equals(command.comment())) {
                    return command.commandId();
                }
            }
            next = response.nextToken();
            if (next == null || next.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    /** A command's comment takes up to 100 characters; step tokens are far shorter. */
    static String marker(String token) {
        String marker = "ferry " + token;
        return marker.length() <= 100 ? marker : marker.substring(0, 100);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Run " + parameters.path("commands").size() + " shell command line(s) through SSM Run Command on "
                + texts(parameters.path("instanceIds")) + " and wait until they finish; fails unless every instance"
                + " exits 0 (not compensable)";
    }

    /** Looks for a command it sent before (a retry), sends it, then polls every instance's invocation. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode instances = JsonNodeFactory.instance.objectNode();
        instances.set("instanceIds", parameters.path("instanceIds"));
        return List.of(
                PlannedCall.read("Ssm", "ListCommands", "ssm:ListCommands", instances),
                new PlannedCall(
                        "Ssm",
                        "SendCommand",
                        List.of("ssm:SendCommand"),
                        instances.deepCopy().put("documentName", "AWS-RunShellScript"),
                        List.of()),
                PlannedCall.read("Ssm", "GetCommandInvocation", "ssm:GetCommandInvocation", instances));
    }

    /**
     * Every instance must exist and run. Asked of EC2: SSM's own inventory
     * (DescribeInstanceInformation) is what an agent reports, and the emulator here has no agents.
     */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        Ec2Client ec2 = clients.client("ec2", Ec2Client::builder, target);
        List<String> ids = texts(parameters.get("instanceIds"));
        Map<String, String> states = new LinkedHashMap<>();
        for (Reservation reservation :
                ec2.describeInstances(r -> r.instanceIds(ids)).reservations()) {
            for (Instance instance : reservation.instances()) {
                states.put(instance.instanceId(), instance.state().nameAsString());
            }
        }
        List<PreflightFinding> findings = new ArrayList<>();
        for (String id : ids) {
            String state = states.getOrDefault(id, "not found");
            findings.add(
                    "running".equals(state)
                            ? PreflightFinding.ok("resource-state", "ec2:instance:" + id, "running")
                            : PreflightFinding.blocking(
                                    "resource-state",
                                    "ec2:instance:" + id,
                                    "the command needs a running instance; it is " + state));
        }
        return findings;
    }
}
