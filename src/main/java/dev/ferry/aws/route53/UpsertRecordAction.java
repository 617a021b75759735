package dev.ferry.aws.route53;

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
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code aws.route53.upsertRecord}: the runbook's DNS switch. The record set it replaces is kept
 * in the memo before the change (so a retry never mistakes its own record for the original), the
 * UPSERT is awaited until {@code INSYNC}, and compensation puts the previous record set back, or
 * deletes the record when there was none: rollback level 1, "revert DNS".
 */
@Component
public class UpsertRecordAction extends AwsAction {

    public static final String NAME = "aws.route53.upsertRecord";

    public UpsertRecordAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String zone = with.path("hostedZoneId").asText();
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        ObjectNode progress = context.progress().deepCopy();
        ObjectNode memo = progress.has("memo") ? (ObjectNode) progress.get("memo") : progress.putObject("memo");
        if (!memo.has("previous")) {
            Optional<ResourceRecordSet> previous = RecordSets.find(
                    route53,
                    zone,
                    with.path("name").asText(),
                    with.path("type").asText(),
                    with.hasNonNull("setIdentifier") ? with.get("setIdentifier").asText() : null);
            memo.set(
                    "previous",
                    previous.map(RecordSets::toJson)
                            .map(JsonNode.class::cast)
                            .orElse(JsonNodeFactory.instance.nullNode()));
            return ActionResult.inProgress(
                    Duration.ZERO,
                    progress,
                    previous.isPresent()
                            ? "captured the current record set"
                            : "no record set yet: compensation will delete the new one");
        }
        ObjectNode spec = with.deepCopy();
        // The step's "region" says where to call AWS; it is not a latency-routing region.
        spec.remove("region");
        ResourceRecordSet wanted = RecordSets.fromJson(spec);
        return Changes.submitAndAwait(
                route53,
                progress,
                "changeId",
                () -> Changes.change(
                        route53, zone, "ferry " + context.stepId(), List.of(Changes.of(ChangeAction.UPSERT, wanted))),
                changeId -> JsonNodeFactory.instance
                        .objectNode()
                        .put("hostedZoneId", zone)
                        .put("name", RecordSets.normalize(wanted.name()))
                        .put("type", wanted.typeAsString())
                        .put("setIdentifier", wanted.setIdentifier())
                        .put("changeId", changeId)
                        .put("existedBefore", !memo.get("previous").isNull())
                        .<ObjectNode>set("record", RecordSets.toJson(wanted))
                        .set("previous", memo.get("previous")));
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode output = context.output();
        String zone = output.path("hostedZoneId").asText();
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        JsonNode previous = output.path("previous");
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (previous.isObject()) {
            result.put("restored", true).set("record", previous);
            return Changes.submitAndAwait(
                    route53,
                    context.progress().deepCopy(),
                    "undoChangeId",
                    () -> Changes.change(
                            route53,
                            zone,
                            "ferry rollback " + context.stepId(),
                            List.of(Changes.of(ChangeAction.UPSERT, RecordSets.fromJson(previous)))),
                    changeId -> result.put("changeId", changeId));
        }
        Optional<ResourceRecordSet> current = RecordSets.find(
                route53,
                zone,
                output.path("name").asText(),
                output.path("type").asText(),
                output.hasNonNull("setIdentifier") ? output.get("setIdentifier").asText() : null);
        if (current.isEmpty() && !context.progress().has("undoChangeId")) {
            return ActionResult.succeeded(result.put("deleted", false).put("reason", "already gone"));
        }
        return Changes.submitAndAwait(
                route53,
                context.progress().deepCopy(),
                "undoChangeId",
                () -> Changes.change(
                        route53,
                        zone,
                        "ferry rollback " + context.stepId(),
                        List.of(Changes.of(ChangeAction.DELETE, current.orElseThrow()))),
                changeId -> result.put("deleted", true).put("changeId", changeId));
    }

    @Override
    public String describe(JsonNode with) {
        JsonNode values = with.path("values");
        String to = with.has("aliasTarget")
                ? "alias " + with.path("aliasTarget").path("dnsName").asText()
                : values.toString();
        return "UPSERT " + with.path("type").asText() + " " + with.path("name").asText() + " in hosted zone "
                + with.path("hostedZoneId").asText() + " to " + to
                + (with.has("weight") ? " with weight " + with.path("weight").asText() : "")
                + " and wait until INSYNC (compensation restores the previous record set, or deletes the record)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("route53:" + parameters.path("hostedZoneId").asText() + "/"
                + parameters.path("name").asText() + "/"
                + parameters.path("type").asText());
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        return Route53Calls.readChangeAwait(
                parameters, resources(parameters).iterator().next());
    }

    /** Restoring the previous record set (or deleting the new one) reads, changes and awaits the same way. */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode parameters) {
        return plannedCalls(parameters);
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        Route53Client route53 = clients.client("route53", Route53Client::builder, target);
        String zone = parameters.path("hostedZoneId").asText();
        String name = route53.getHostedZone(r -> r.id(zone)).hostedZone().name();
        Optional<ResourceRecordSet> current = RecordSets.find(
                route53,
                zone,
                parameters.path("name").asText(),
                parameters.path("type").asText(),
                parameters.path("setIdentifier").asText(null));
        return List.of(PreflightFinding.ok(
                "resource-exists",
                "route53:" + zone,
                "hosted zone " + name + " exists; "
                        + (current.isPresent()
                                ? "the record set exists and will be replaced"
                                : "the record set will be created")));
    }
}
