package dev.ferry.aws.events;

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
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;

/**
 * Sets an EventBridge rule ENABLED or DISABLED (the seeds pause the ETL schedules during a
 * freeze). The rule's state before the change goes into the memo first, so a retry after the rule
 * was already switched still knows it; compensation puts that state back, which leaves a rule that
 * was already in the target state as it was.
 */
abstract class RuleStateAction extends AwsAction {

    private final boolean enable;

    RuleStateAction(String name, AwsClients clients, AwsProperties properties, boolean enable) {
        super(name, clients, properties);
        this.enable = enable;
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        JsonNode memo = context.progress().path("memo");
        EventBridgeClient events = clients.client("events", EventBridgeClient::builder, target);
        DescribeRuleResponse rule =
                events.describeRule(r -> r.name(with.get("name").asText()).eventBusName(bus(with)));
        if (!memo.has("previousState")) {
            ObjectNode progress = JsonNodeFactory.instance.objectNode();
            progress.putObject("memo")
                    .put("previousState", rule.stateAsString())
                    .put("ruleArn", rule.arn());
            return ActionResult.inProgress(
                    Duration.ZERO, progress, "rule " + rule.name() + " is " + rule.stateAsString());
        }
        if (!targetState().equals(rule.stateAsString())) {
            set(events, with, enable);
        }
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("name", rule.name())
                .put("ruleArn", rule.arn())
                .put("previousState", memo.get("previousState").asText())
                .put("state", targetState()));
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String previous = context.output().path("previousState").asText();
        EventBridgeClient events = clients.client("events", EventBridgeClient::builder, target);
        // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is an enabled state too; EnableRule cannot set it back.
        boolean wasEnabled = previous.startsWith("ENABLED");
        set(events, with, wasEnabled);
        return ActionResult.succeeded(JsonNodeFactory.instance
                .objectNode()
                .put("name", with.get("name").asText())
                .put("restoredState", wasEnabled ? "ENABLED" : "DISABLED"));
    }

    private static void set(EventBridgeClient events, JsonNode with, boolean enabled) {
        String name = with.get("name").asText();
        if (enabled) {
            events.enableRule(r -> r.name(name).eventBusName(bus(with)));
        } else {
            events.disableRule(r -> r.name(name).eventBusName(bus(with)));
        }
    }

    private String targetState() {
        return enable ? "ENABLED" : "DISABLED";
    }

    /** The default bus when the plan names none (null leaves it out of the request). */
    private static String bus(JsonNode with) {
        return with.path("eventBusName").asText(null);
    }

    @Override
    public String describe(JsonNode parameters) {
        return (enable ? "Enable" : "Disable") + " EventBridge rule "
                + parameters.path("name").asText()
                + (parameters.hasNonNull("eventBusName")
                        ? " on bus " + parameters.get("eventBusName").asText()
                        : "")
                + " (compensation restores its previous state)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("events:rule:" + parameters.path("eventBusName").asText("default") + "/"
                + parameters.path("name").asText());
    }

    /** Reads the rule (into the memo, then again before the change), then switches it. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        return List.of(describeRule(parameters), describeRule(parameters), set(parameters, enable));
    }

    /** Restores the previous state; the usual case is the opposite of what the step did. */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        return List.of(set(parameters, !enable));
    }

    private static PlannedCall describeRule(JsonNode with) {
        return PlannedCall.read("EventBridge", "DescribeRule", "events:DescribeRule", arguments(with));
    }

    private PlannedCall set(JsonNode with, boolean enabled) {
        String operation = enabled ? "EnableRule" : "DisableRule";
        return PlannedCall.change(
                "EventBridge",
                operation,
                "events:" + operation,
                arguments(with),
                resources(with).iterator().next());
    }

    private static ObjectNode arguments(JsonNode with) {
        ObjectNode arguments = JsonNodeFactory.instance
                .objectNode()
                .put("name", with.path("name").asText());
        if (bus(with) != null) {
            arguments.put("eventBusName", bus(with));
        }
        return arguments;
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        EventBridgeClient events = clients.client("events", EventBridgeClient::builder, target);
        DescribeRuleResponse rule = events.describeRule(
                r -> r.name(parameters.path("name").asText()).eventBusName(bus(parameters)));
        return List.of(PreflightFinding.ok(
                "resource-exists",
                resources(parameters).iterator().next(),
                "the rule exists and is " + rule.stateAsString()));
    }
}
