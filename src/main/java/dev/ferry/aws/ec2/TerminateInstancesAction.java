package dev.ferry.aws.ec2;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * {@code aws.ec2.terminateInstances}: the seeds' cleanup of the temporary migration instance.
 * IRREVERSIBLE. Looks before it acts: instances already shutting down or terminated are not
 * terminated again, and ones EC2 no longer knows (terminated instances vanish after about an hour)
 * count as gone. The states before termination go into the memo first, then it polls until every
 * instance is terminated.
 */
@Component
public class TerminateInstancesAction extends AwsAction {

    public static final String NAME = "aws.ec2.terminateInstances";
    static final String GONE = "not-found";
    private static final Set<String> ENDING = Set.of("shutting-down", "terminated", GONE);

    public TerminateInstancesAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        Ec2Client ec2 = clients.client("ec2", Ec2Client::builder, target);
        Map<String, String> states = states(ec2, ids(with));
        JsonNode memo = context.progress().path("memo");
        Duration poll = Duration.parse(with.path("pollInterval").asText("PT15S"));
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        if (!memo.has("previousStates")) {
            ObjectNode previous = progress.putObject("memo").putObject("previousStates");
            states.forEach(previous::put);
            return ActionResult.inProgress(Duration.ZERO, progress, "captured instance states " + states);
        }
        progress.set("memo", memo);
        List<String> running = states.entrySet().stream()
                .filter(e -> !ENDING.contains(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        if (!running.isEmpty()) {
            ec2.terminateInstances(r -> r.instanceIds(running));
            return ActionResult.inProgress(poll, progress, "terminating " + running);
        }
        if (states.values().stream().anyMatch("shutting-down"::equals)) {
            return ActionResult.inProgress(poll, progress, "waiting for termination: " + states);
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        ObjectNode instances = output.putObject("instances");
        states.forEach((id, state) -> instances
                .putObject(id)
                .put("state", state)
                .put("previousState", memo.path("previousStates").path(id).asText(null)));
        return ActionResult.succeeded(output);
    }

    /** Instance id -> state name; an id EC2 does not know maps to {@value #GONE}. */
    private static Map<String, String> states(Ec2Client ec2, List<String> ids) {
        Map<String, String> states = new LinkedHashMap<>();
        try {
            for (Reservation reservation :
                    ec2.describeInstances(r -> r.instanceIds(ids)).reservations()) {
                for (Instance instance : reservation.instances()) {
                    states.put(instance.instanceId(), instance.state().nameAsString());
                }
            }
        } catch (AwsServiceException e) {
            if (!notFound(e)) {
                throw e;
            }
            if (ids.size() == 1) {
                return Map.of(ids.get(0), GONE);
            }
            // One unknown id fails the whole call: ask about each one alone.
            ids.forEach(id -> states.putAll(states(ec2, List.of(id))));
        }
        ids.forEach(id -> states.putIfAbsent(id, GONE));
        return states;
    }

    private static boolean notFound(AwsServiceException e) {
        return e.awsErrorDetails() != null
                && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode());
    }

    private static List<String> ids(JsonNode with) {
        List<String> ids = new ArrayList<>();
        with.get("instanceIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    @Override
    public String describe(JsonNode parameters) {
        return "IRREVERSIBLE: terminate EC2 instance(s) " + ids(parameters) + " and wait until they are terminated"
                + " (already terminated or unknown instances count as done; no compensation)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return StreamSupport.stream(parameters.path("instanceIds").spliterator(), false)
                .map(id -> "ec2:instance:" + id.asText())
                .collect(Collectors.toSet());
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.set("instanceIds", parameters.path("instanceIds"));
        // Describe into the memo, describe and terminate, then describe until terminated.
        return List.of(
                PlannedCall.read("Ec2", "DescribeInstances", "ec2:DescribeInstances", arguments),
                PlannedCall.read("Ec2", "DescribeInstances", "ec2:DescribeInstances", arguments),
                new PlannedCall(
                        "Ec2",
                        "TerminateInstances",
                        List.of("ec2:TerminateInstances"),
                        arguments,
                        List.copyOf(new TreeSet<>(resources(parameters)))),
                PlannedCall.read("Ec2", "DescribeInstances", "ec2:DescribeInstances", arguments));
    }

    /**
     * Unknown or ending instances count as done, so only their state is reported. The permission to
     * terminate the others is tried with EC2's DryRun, which checks it without terminating anything.
     */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        Ec2Client ec2 = clients.client("ec2", Ec2Client::builder, target);
        Map<String, String> states = states(ec2, ids(parameters));
        List<String> live = states.entrySet().stream()
                .filter(e -> !ENDING.contains(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        List<PreflightFinding> findings = new ArrayList<>();
        findings.add(PreflightFinding.ok("resource-state", "ec2:instances", "instance states " + states));
        if (live.isEmpty()) {
            return findings;
        }
        try {
            ec2.terminateInstances(r -> r.instanceIds(live).dryRun(true));
            findings.add(PreflightFinding.warning(
                    "permission", "ec2:TerminateInstances", "the dry run was not refused nor confirmed"));
        } catch (Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if ("DryRunOperation".equals(code)) {
                findings.add(PreflightFinding.ok(
                        "permission", "ec2:TerminateInstances", "dry run: the request would have succeeded"));
            } else if ("UnauthorizedOperation".equals(code)) {
                findings.add(PreflightFinding.blocking(
                        "permission",
                        "ec2:TerminateInstances",
                        code + ": " + e.awsErrorDetails().errorMessage()));
            } else {
                throw e;
            }
        }
        return findings;
    }
}
