package dev.ferry.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * {@code aws.rds.deleteInstance}: the CLEANUP step "destroy the old database". IRREVERSIBLE: plans
 * mark it {@code irreversible: true}. A final snapshot with a name derived from the step's token is
 * taken unless {@code skipFinalSnapshot}; an instance already gone (or going) counts as deleted.
 */
@Component
public class DeleteInstanceAction extends InstanceAction {

    public static final String NAME = "aws.rds.deleteInstance";

    public DeleteInstanceAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String instanceId = with.get("dbInstanceIdentifier").asText();
        JsonNode memo = context.progress().path("memo");
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        if (!memo.has("existed")) {
            return capture(rds, instanceId);
        }
        String finalSnapshotId = with.path("skipFinalSnapshot").asBoolean(false)
                ? null
                : finalSnapshotIdentifier(with, context.idempotencyToken());
        Duration poll = RdsSupport.pollInterval(with);
        ActionResult result = InstanceRemoval.step(rds, instanceId, finalSnapshotId, poll);
        if (!(result instanceof ActionResult.Succeeded)) {
            ObjectNode progress = ((ActionResult.InProgress) result).progress();
            progress.set("memo", memo);
            return ActionResult.inProgress(poll, progress, ((ActionResult.InProgress) result).message());
        }
        return ActionResult.succeeded(output(rds, instanceId, memo, finalSnapshotId));
    }

    /** Remembers what is about to be destroyed, before destroying it, for the audit trail. */
    private static ActionResult capture(RdsClient rds, String instanceId) {
        Optional<DBInstance> instance = RdsSupport.instance(rds, instanceId);
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        ObjectNode memo = progress.putObject("memo").put("existed", instance.isPresent());
        instance.ifPresent(i -> memo.put("dbInstanceArn", i.dbInstanceArn())
                .put("engine", i.engine())
                .put("dbInstanceClass", i.dbInstanceClass())
                .put("statusBefore", i.dbInstanceStatus()));
        return ActionResult.inProgress(
                Duration.ZERO,
                progress,
                instance.isPresent()
                        ? "RDS instance " + instanceId + " is " + instance.get().dbInstanceStatus()
                        : "RDS instance " + instanceId + " is already gone");
    }

    private static ObjectNode output(RdsClient rds, String instanceId, JsonNode memo, String finalSnapshotId) {
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("dbInstanceIdentifier", instanceId)
                .put("deleted", true)
                .put("alreadyDeleted", !memo.path("existed").asBoolean());
        if (memo.has("dbInstanceArn")) {
            output.put("dbInstanceArn", memo.get("dbInstanceArn").asText());
        }
        Optional<DBSnapshot> finalSnapshot =
                finalSnapshotId == null ? Optional.empty() : RdsSupport.snapshot(rds, finalSnapshotId);
        finalSnapshot.ifPresent(s -> output.put("finalSnapshotIdentifier", s.dbSnapshotIdentifier())
                .put("finalSnapshotArn", s.dbSnapshotArn()));
        return output;
    }

    static String finalSnapshotIdentifier(JsonNode with, String token) {
        String instanceId = with.get("dbInstanceIdentifier").asText();
        return RdsSupport.identifier(with.path("finalSnapshotPrefix").asText(instanceId + "-final"), token);
    }

    @Override
    public String describe(JsonNode parameters) {
        String instanceId = parameters.path("dbInstanceIdentifier").asText();
        return "IRREVERSIBLE: delete RDS instance " + instanceId
                + (parameters.path("skipFinalSnapshot").asBoolean(false)
                        ? " without a final snapshot"
                        : " after a final snapshot "
                                + parameters.path("finalSnapshotPrefix").asText(instanceId + "-final")
                                + "-<token hash>")
                + ", and wait until it is gone";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("rds:instance:" + parameters.path("dbInstanceIdentifier").asText());
    }

    /** The instance is read (for the record), deleted, polled until gone, and its final snapshot read. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        String instanceId = with.path("dbInstanceIdentifier").asText();
        String finalSnapshot = with.path("skipFinalSnapshot").asBoolean(false)
                ? null
                : with.path("finalSnapshotPrefix").asText(instanceId + "-final") + "-(token hash)";
        List<PlannedCall> calls =
                new ArrayList<>(RdsSupport.plannedRemoval(with.path("dbInstanceIdentifier"), finalSnapshot));
        if (finalSnapshot != null) {
            calls.add(RdsSupport.describeSnapshots(finalSnapshot));
        }
        return calls;
    }
}
