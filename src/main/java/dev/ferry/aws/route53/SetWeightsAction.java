package dev.ferry.aws.route53;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code aws.route53.setWeights}: the gradual DNS switch (old 90 / new 10, then 50/50...). Changes
 * only the weights of the named weighted records, all in one atomic change batch, after keeping
 * their previous weights in the memo; compensation puts those weights back.
 */
@Component
public class SetWeightsAction extends AwsAction {

    public static final String NAME = "aws.route53.setWeights";

    public SetWeightsAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        ObjectNode progress = context.progress().deepCopy();
        ObjectNode memo = progress.has("memo") ? (ObjectNode) progress.get("memo") : progress.putObject("memo");
        if (!memo.has("previousWeights")) {
            ObjectNode previous = memo.putObject("previousWeights");
            for (ResourceRecordSet set : weighted(route53, with, with.get("weights"))) {
                previous.put(set.setIdentifier(), set.weight());
            }
            return ActionResult.inProgress(Duration.ZERO, progress, "captured the current weights " + previous);
        }
        return apply(
                route53,
                with,
                with.get("weights"),
                progress,
                "changeId",
                context.stepId(),
                JsonNodeFactory.instance
                        .objectNode()
                        .put("name", with.path("name").asText())
                        .put("type", with.path("type").asText())
                        .<ObjectNode>set("weights", with.get("weights"))
                        .set("previousWeights", memo.get("previousWeights")));
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        JsonNode previous = context.output().path("previousWeights");
        // The output names the zone, name and type, whatever parameters the compensation is given.
        return apply(
                route53,
                context.output(),
                previous,
                context.progress().deepCopy(),
                "undoChangeId",
                "rollback " + context.stepId(),
                JsonNodeFactory.instance.objectNode().set("restoredWeights", previous));
    }

    private ActionResult apply(
            Route53Client route53,
            JsonNode with,
            JsonNode weights,
            ObjectNode progress,
            String key,
            String comment,
            ObjectNode output) {
        String zone = with.path("hostedZoneId").asText();
        return Changes.submitAndAwait(
                route53,
                progress,
                key,
                () -> {
                    List<Change> changes = new ArrayList<>();
                    for (ResourceRecordSet set : weighted(route53, with, weights)) {
                        changes.add(Changes.of(
                                ChangeAction.UPSERT,
                                set.toBuilder()
                                        .weight(weights.get(set.setIdentifier()).asLong())
                                        .build()));
                    }
                    return Changes.change(route53, zone, "ferry " + comment, changes);
                },
                changeId -> output.put("hostedZoneId", zone).put("changeId", changeId));
    }

    /** The weighted records named in {@code weights}; all must exist, or nothing changes. */
    private static List<ResourceRecordSet> weighted(Route53Client route53, JsonNode with, JsonNode weights) {
        String name = with.path("name").asText();
        String type = with.path("type").asText();
        List<ResourceRecordSet> sets = RecordSets.list(
                        route53, with.path("hostedZoneId").asText(), name, type)
                .stream()
                .filter(s -> s.weight() != null && weights.has(s.setIdentifier()))
                .toList();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> wanted : weights.properties()) {
            if (sets.stream().noneMatch(s -> s.setIdentifier().equals(wanted.getKey()))) {
                missing.add(wanted.getKey());
            }
        }
        if (!missing.isEmpty()) {
            throw new ActionFailure(
                    false,
                    "RECORD_NOT_FOUND",
                    "no weighted " + type + " record " + name + " with set identifier " + String.join(", ", missing));
        }
        return sets;
    }

    @Override
    public String describe(JsonNode with) {
        return "Set the weights of the weighted " + with.path("type").asText() + " records "
                + with.path("name").asText() + " in hosted zone "
                + with.path("hostedZoneId").asText() + " to "
                + with.path("weights") + " in one change, and wait until INSYNC (compensation restores the"
                + " previous weights)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("route53:" + parameters.path("hostedZoneId").asText() + "/"
                + parameters.path("name").asText() + "/"
                + parameters.path("type").asText());
    }

    /** Reads the weights into the memo, then reads again, changes and awaits INSYNC. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        List<PlannedCall> calls = new ArrayList<>(Route53Calls.readChangeAwait(
                parameters, resources(parameters).iterator().next()));
        calls.add(0, calls.get(0));
        return calls;
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        return Route53Calls.readChangeAwait(
                parameters, resources(parameters).iterator().next());
    }

    /** Every weighted record named must exist: a missing one would fail the whole change. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        List<ResourceRecordSet> sets = weighted(route53, parameters, parameters.get("weights"));
        return List.of(PreflightFinding.ok(
                "resource-exists", resources(parameters).iterator().next(), sets.size() + " weighted record(s) found"));
    }
}
