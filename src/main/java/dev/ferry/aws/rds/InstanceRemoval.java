package dev.ferry.aws.rds;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * One look at an RDS instance on its way out: gone is done; {@code deleting} is waited for; anything
 * else is asked to delete. Safe to call any number of times, so retries and polls share it.
 */
final class InstanceRemoval {

    private InstanceRemoval() {}

    /**
     * @param finalSnapshotId the final snapshot to take, or null to skip it
     */
    static ActionResult step(RdsClient rds, String instanceId, String finalSnapshotId, Duration poll) {
        Optional<DBInstance> instance = RdsSupport.instance(rds, instanceId);
        if (instance.isEmpty()) {
            return ActionResult.succeeded(JsonNodeFactory.instance
                    .objectNode()
                    .put("dbInstanceIdentifier", instanceId)
                    .put("deleted", true));
        }
        String status = instance.get().dbInstanceStatus();
        if (!"deleting".equals(status)) {
            try {
                rds.deleteDBInstance(r -> r.dbInstanceIdentifier(instanceId)
                        .skipFinalSnapshot(finalSnapshotId == null)
                        .finalDBSnapshotIdentifier(finalSnapshotId));
                status = "deleting";
            } catch (DbInstanceNotFoundException gone) {
                return step(rds, instanceId, finalSnapshotId, poll);
            } catch (InvalidDbInstanceStateException busy) {
                // e.g. still being modified or backed up: RDS takes the delete once that settles.
                status = status + " (delete refused for now: "
                        + busy.awsErrorDetails().errorMessage() + ")";
            }
        }
        ObjectNode progress = JsonNodeFactory.instance
                .objectNode()
                .put("dbInstanceIdentifier", instanceId)
                .put("status", status);
        return ActionResult.inProgress(poll, progress, "RDS instance " + instanceId + " is " + status);
    }
}
