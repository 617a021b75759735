package dev.ferry.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;

/**
 * {@code aws.rds.createSnapshot}: the seeds' "snapshot the database before the migration". The
 * snapshot's name is derived from the step's idempotency token, so a call after a crash finds the
 * snapshot the lost call started instead of making a second one; it then polls until the snapshot
 * is {@code available} (which can take an hour) without holding a thread.
 */
@Component
public class CreateSnapshotAction extends InstanceAction {

    public static final String NAME = "aws.rds.createSnapshot";

    /** Statuses from which a snapshot never becomes available. */
    private static final Set<String> DEAD = Set.of("failed", "deleting", "deleted");

    public CreateSnapshotAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String instanceId = with.get("dbInstanceIdentifier").asText();
        String snapshotId = snapshotIdentifier(with, context.idempotencyToken());
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        DBSnapshot snapshot = RdsSupport.snapshot(rds, snapshotId)
                .orElseGet(() -> create(rds, with, instanceId, snapshotId, context.idempotencyToken()));
        if (!instanceId.equals(snapshot.dbInstanceIdentifier())) {
            throw new ActionFailure(
                    false,
                    "SnapshotBelongsToAnotherInstance",
                    "DB snapshot " + snapshotId + " exists but is of instance " + snapshot.dbInstanceIdentifier()
                            + ", not " + instanceId);
        }
        if ("available".equals(snapshot.status())) {
            return ActionResult.succeeded(output(snapshot));
        }
        if (DEAD.contains(snapshot.status())) {
            throw new ActionFailure(false, "SnapshotFailed", "DB snapshot " + snapshotId + " is " + snapshot.status());
        }
        ObjectNode progress = JsonNodeFactory.instance
                .objectNode()
                .put("snapshotIdentifier", snapshotId)
                .put("status", snapshot.status())
                .put("percentProgress", snapshot.percentProgress());
        return ActionResult.inProgress(
                RdsSupport.pollInterval(with),
                progress,
                "DB snapshot " + snapshotId + " is " + snapshot.status() + " (" + snapshot.percentProgress() + "%)");
    }

    private static DBSnapshot create(RdsClient rds, JsonNode with, String instanceId, String snapshotId, String token) {
        try {
            return rds.createDBSnapshot(r -> r.dbInstanceIdentifier(instanceId)
                            .dbSnapshotIdentifier(snapshotId)
                            .tags(RdsSupport.tags(with, token)))
                    .dbSnapshot();
        } catch (DbSnapshotAlreadyExistsException raced) {
            // Another worker's call for this very step got there first: its snapshot is ours too.
            return RdsSupport.snapshot(rds, snapshotId).orElseThrow(() -> raced);
        }
    }

    static String snapshotIdentifier(JsonNode with, String token) {
        String prefix = with.path("snapshotPrefix")
                .asText(with.get("dbInstanceIdentifier").asText() + "-ferry");
        return RdsSupport.identifier(prefix, token);
    }

    private static ObjectNode output(DBSnapshot snapshot) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("snapshotIdentifier", snapshot.dbSnapshotIdentifier())
                .put("snapshotArn", snapshot.dbSnapshotArn())
                .put("dbInstanceIdentifier", snapshot.dbInstanceIdentifier())
                .put("engine", snapshot.engine())
                .put("status", snapshot.status());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /**
     * Backups are usually kept when a migration rolls back ({@code keepOnRollback}, default true);
     * otherwise the snapshot this step created (its name carries this step's token) is deleted.
     */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        String snapshotId = context.output().path("snapshotIdentifier").asText();
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("snapshotIdentifier", snapshotId);
        if (context.parameters().path("keepOnRollback").asBoolean(true)) {
            return ActionResult.succeeded(result.put("kept", true));
        }
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        try {
            rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(snapshotId));
        } catch (DbSnapshotNotFoundException alreadyGone) {
            // deleted by an earlier call of this compensation
        }
        return ActionResult.succeeded(result.put("kept", false).put("deleted", true));
    }

    @Override
    public String describe(JsonNode parameters) {
        boolean keep = parameters.path("keepOnRollback").asBoolean(true);
        return "Create a snapshot of RDS instance "
                + parameters.path("dbInstanceIdentifier").asText()
                + " named "
                + parameters
                        .path("snapshotPrefix")
                        .asText(parameters.path("dbInstanceIdentifier").asText() + "-ferry")
                + "-<token hash> and wait until it is available"
                + (keep ? " (kept on rollback)" : " (deleted on rollback)");
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        String snapshot = with.path("snapshotPrefix")
                        .asText(with.path("dbInstanceIdentifier").asText() + "-ferry") + "-(token hash)";
        return List.of(
                RdsSupport.describeSnapshots(snapshot),
                new PlannedCall(
                        RdsSupport.RDS,
                        "CreateDBSnapshot",
                        List.of("rds:CreateDBSnapshot", "rds:AddTagsToResource"),
                        RdsSupport.arguments(
                                "dbInstanceIdentifier",
                                with.path("dbInstanceIdentifier"),
                                "dbSnapshotIdentifier",
                                snapshot),
                        List.of("rds:snapshot:" + snapshot)));
    }

    /** The snapshot is kept on rollback unless {@code keepOnRollback} is false. */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        if (with.path("keepOnRollback").asBoolean(true)) {
            return List.of();
        }
        return List.of(PlannedCall.change(
                RdsSupport.RDS,
                "DeleteDBSnapshot",
                "rds:DeleteDBSnapshot",
                RdsSupport.arguments("dbSnapshotIdentifier", "(the snapshot this step created)"),
                "rds:snapshot:(the snapshot this step created)"));
    }
}
