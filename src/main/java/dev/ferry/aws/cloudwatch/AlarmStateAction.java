package dev.ferry.aws.cloudwatch;

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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * {@code aws.cloudwatch.alarmState}: asserts that the named alarms (metric or composite) are not
 * in ALARM, and optionally not in INSUFFICIENT_DATA. An alarm that does not exist fails the check
 * too: a misspelt name must not pass as "not alarming". Read-only.
 */
@Component
public class AlarmStateAction extends AwsAction {

    public static final String NAME = "aws.cloudwatch.alarmState";

    public AlarmStateAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        Set<String> names = new LinkedHashSet<>();
        with.path("alarmNames").forEach(n -> names.add(n.asText()));
        boolean strict = with.path("failOnInsufficientData").asBoolean(false);
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        ObjectNode alarms = output.putObject("alarms");
        List<String> bad = new ArrayList<>();
        for (DescribeAlarmsResponse page : cloudWatch.describeAlarmsPaginator(
                r -> r.alarmNames(names).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM))) {
            page.metricAlarms()
                    .forEach(a -> record(alarms, bad, a.alarmName(), a.stateValue(), a.stateReason(), strict));
            page.compositeAlarms()
                    .forEach(a -> record(alarms, bad, a.alarmName(), a.stateValue(), a.stateReason(), strict));
        }
        List<String> missing = names.stream().filter(n -> !alarms.has(n)).toList();
        if (!missing.isEmpty()) {
            return new ActionResult.Failed(
                    false, "ALARM_NOT_FOUND", "no such CloudWatch alarm: " + String.join(", ", missing), output);
        }
        if (!bad.isEmpty()) {
            boolean alarming = bad.stream()
                    .anyMatch(n -> alarms.path(n).path("state").asText().equals("ALARM"));
            return new ActionResult.Failed(
                    false,
                    alarming ? "ALARM" : "INSUFFICIENT_DATA",
                    String.join(", ", bad) + (alarming ? " in ALARM or without data" : " without enough data"),
                    output);
        }
        return ActionResult.succeeded(output);
    }

    private static void record(
            ObjectNode alarms, List<String> bad, String name, StateValue state, String reason, boolean strict) {
        alarms.putObject(name).put("state", state.toString()).put("reason", reason);
        if (state == StateValue.ALARM || strict && state == StateValue.INSUFFICIENT_DATA) {
            bad.add(name);
        }
    }

    @Override
    public String describe(JsonNode with) {
        return "Check that CloudWatch alarms " + with.path("alarmNames") + " are not in ALARM"
                + (with.path("failOnInsufficientData").asBoolean(false) ? " nor INSUFFICIENT_DATA" : "")
                + " (read-only)";
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.set("alarmNames", parameters.path("alarmNames"));
        return List.of(PlannedCall.read("CloudWatch", "DescribeAlarms", "cloudwatch:DescribeAlarms", arguments));
    }

    /** Every alarm must exist; one in ALARM now is worth a look but may clear before the check runs. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        Set<String> names = new LinkedHashSet<>();
        parameters.path("alarmNames").forEach(n -> names.add(n.asText()));
        Set<String> found = new LinkedHashSet<>();
        List<String> alarming = new ArrayList<>();
        for (DescribeAlarmsResponse page : cloudWatch.describeAlarmsPaginator(
                r -> r.alarmNames(names).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM))) {
            page.metricAlarms().forEach(a -> {
                found.add(a.alarmName());
                if (a.stateValue() == StateValue.ALARM) {
                    alarming.add(a.alarmName());
                }
            });
            page.compositeAlarms().forEach(a -> {
                found.add(a.alarmName());
                if (a.stateValue() == StateValue.ALARM) {
                    alarming.add(a.alarmName());
                }
            });
        }
        List<PreflightFinding> findings = new ArrayList<>();
        names.stream()
                .filter(n -> !found.contains(n))
                .forEach(n -> findings.add(PreflightFinding.blocking(
                        "resource-exists", "cloudwatch:alarm:" + n, "no such CloudWatch alarm")));
        alarming.forEach(n -> findings.add(
                PreflightFinding.warning("resource-state", "cloudwatch:alarm:" + n, "the alarm is in ALARM now")));
        if (findings.isEmpty()) {
            findings.add(PreflightFinding.ok("resource-exists", "cloudwatch:alarms", "alarms " + names + " exist"));
        }
        return findings;
    }
}
