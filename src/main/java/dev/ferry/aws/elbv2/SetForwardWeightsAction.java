package dev.ferry.aws.elbv2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * {@code aws.elbv2.setForwardWeights}: sets the target-group weights of the forward action of a
 * listener (its default actions) or of a listener rule. Other actions of the listener or rule,
 * and the forward's stickiness, are kept as they are. The previous weights are captured in the
 * memo first; compensation restores them. The change takes effect at once, nothing to wait for.
 */
@Component
public class SetForwardWeightsAction extends AwsAction {

    public static final String NAME = "aws.elbv2.setForwardWeights";

    public SetForwardWeightsAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        ElasticLoadBalancingV2Client elb =
                clients.client("elasticloadbalancing", ElasticLoadBalancingV2Client::builder, target);
        ObjectNode progress = context.progress().deepCopy();
        ObjectNode memo = progress.has("memo") ? (ObjectNode) progress.get("memo") : progress.putObject("memo");
        if (!memo.has("previousTargetGroups")) {
            memo.set("previousTargetGroups", toJson(forwardOf(actions(elb, with))));
            return ActionResult.inProgress(Duration.ZERO, progress, "captured the current forward weights");
        }
        apply(elb, with, with.get("targetGroups"));
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        copy(with, output, "listenerArn");
        copy(with, output, "ruleArn");
        output.set("targetGroups", with.get("targetGroups"));
        output.set("previousTargetGroups", memo.get("previousTargetGroups"));
        return ActionResult.succeeded(output);
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode output = context.output();
        ElasticLoadBalancingV2Client elb =
                clients.client("elasticloadbalancing", ElasticLoadBalancingV2Client::builder, target);
        apply(elb, output, output.get("previousTargetGroups"));
        return ActionResult.succeeded(
                JsonNodeFactory.instance.objectNode().set("restoredTargetGroups", output.get("previousTargetGroups")));
    }

    /** Replaces the forward action's target groups; {@code where} names the listener or rule. */
    private static void apply(ElasticLoadBalancingV2Client elb, JsonNode where, JsonNode targetGroups) {
        List<TargetGroupTuple> tuples = new ArrayList<>();
        targetGroups.forEach(t -> tuples.add(TargetGroupTuple.builder()
                .targetGroupArn(t.path("targetGroupArn").asText())
                .weight(t.path("weight").asInt())
                .build()));
        List<Action> actions = new ArrayList<>();
        for (Action action : actions(elb, where)) {
            if (action.type() != ActionTypeEnum.FORWARD) {
                actions.add(action);
                continue;
            }
            // A weighted forward names its groups only in forwardConfig; a stray targetGroupArn is rejected.
            actions.add(action.toBuilder()
                    .targetGroupArn(null)
                    .forwardConfig(f -> f.targetGroups(tuples)
                            .targetGroupStickinessConfig(
                                    action.forwardConfig() == null
                                            ? null
                                            : action.forwardConfig().targetGroupStickinessConfig()))
                    .build());
        }
        if (where.hasNonNull("ruleArn")) {
            elb.modifyRule(r -> r.ruleArn(where.get("ruleArn").asText()).actions(actions));
        } else {
            elb.modifyListener(
                    r -> r.listenerArn(where.get("listenerArn").asText()).defaultActions(actions));
        }
    }

    private static List<Action> actions(ElasticLoadBalancingV2Client elb, JsonNode where) {
        if (where.hasNonNull("ruleArn")) {
            return elb.describeRules(r -> r.ruleArns(where.get("ruleArn").asText()))
                    .rules()
                    .get(0)
                    .actions();
        }
        return elb.describeListeners(
                        r -> r.listenerArns(where.get("listenerArn").asText()))
                .listeners()
                .get(0)
                .defaultActions();
    }

    private static Action forwardOf(List<Action> actions) {
        return actions.stream()
                .filter(a -> a.type() == ActionTypeEnum.FORWARD)
                .findFirst()
                .orElseThrow(() -> new ActionFailure(
                        false,
                        "NO_FORWARD_ACTION",
                        "the listener or rule has no forward action whose weights could be set"));
    }

    /** A plain forward to one group counts as that group with weight 1. */
    private static ArrayNode toJson(Action forward) {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        if (forward.forwardConfig() != null && forward.forwardConfig().hasTargetGroups()) {
            forward.forwardConfig().targetGroups().forEach(t -> groups.addObject()
                    .put("targetGroupArn", t.targetGroupArn())
                    .put("weight", t.weight() == null ? 1 : t.weight()));
        } else {
            groups.addObject().put("targetGroupArn", forward.targetGroupArn()).put("weight", 1);
        }
        return groups;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.put(field, from.get(field).asText());
        }
    }

    @Override
    public String describe(JsonNode with) {
        StringBuilder weights = new StringBuilder();
        with.path("targetGroups").forEach(t -> weights.append(weights.isEmpty() ? "" : ", ")
                .append(t.path("targetGroupArn").asText().replaceAll(".*:targetgroup/", ""))
                .append('=')
                .append(t.path("weight").asText()));
        String where = with.has("ruleArn")
                ? "rule " + with.path("ruleArn").asText()
                : "listener " + with.path("listenerArn").asText();
        return "Set the forward weights of " + where + " to " + weights
                + " (compensation restores the previous weights)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("elbv2:"
                + (parameters.hasNonNull("ruleArn")
                        ? parameters.path("ruleArn").asText()
                        : parameters.path("listenerArn").asText()));
    }

    /** Reads the forward action into the memo, reads it again to keep the other actions, then modifies. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        return List.of(describeCall(parameters), describeCall(parameters), modify(parameters));
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        return List.of(describeCall(parameters), modify(parameters));
    }

    private static PlannedCall describeCall(JsonNode where) {
        return where.hasNonNull("ruleArn")
                ? PlannedCall.read(
                        "ElasticLoadBalancingV2",
                        "DescribeRules",
                        "elasticloadbalancing:DescribeRules",
                        arguments(where))
                : PlannedCall.read(
                        "ElasticLoadBalancingV2",
                        "DescribeListeners",
                        "elasticloadbalancing:DescribeListeners",
                        arguments(where));
    }

    private PlannedCall modify(JsonNode where) {
        String resource = resources(where).iterator().next();
        return where.hasNonNull("ruleArn")
                ? PlannedCall.change(
                        "ElasticLoadBalancingV2",
                        "ModifyRule",
                        "elasticloadbalancing:ModifyRule",
                        arguments(where),
                        resource)
                : PlannedCall.change(
                        "ElasticLoadBalancingV2",
                        "ModifyListener",
                        "elasticloadbalancing:ModifyListener",
                        arguments(where),
                        resource);
    }

    private static ObjectNode arguments(JsonNode where) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        copy(where, arguments, "listenerArn");
        copy(where, arguments, "ruleArn");
        return arguments;
    }

    /** The listener or rule has a forward action, and every target group to weigh exists. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        ElasticLoadBalancingV2Client elb =
                clients.client("elasticloadbalancing", ElasticLoadBalancingV2Client::builder, target);
        forwardOf(actions(elb, parameters));
        List<String> groups = new ArrayList<>();
        parameters
                .path("targetGroups")
                .forEach(t -> groups.add(t.path("targetGroupArn").asText()));
        int found = elb.describeTargetGroups(r -> r.targetGroupArns(groups))
                .targetGroups()
                .size();
        if (found < groups.size()) {
            return List.of(PreflightFinding.blocking(
                    "resource-exists",
                    resources(parameters).iterator().next(),
                    "only " + found + " of the target groups " + groups + " exist"));
        }
        return List.of(PreflightFinding.ok(
                "resource-exists",
                resources(parameters).iterator().next(),
                "the forward action and its " + found + " target group(s) exist"));
    }
}
