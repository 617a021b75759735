package dev.ferry.aws.rds;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;

/**
 * {@code aws.rds.restoreFromSnapshot}: the seeds' rollback level 3, "restore the database from the
 * snapshot", as a step. The new instance is tagged with the step's token: a retry that finds it
 * carries on polling, while an instance of that name that this step did not make is refused rather
 * than adopted (its compensation would delete it).
 */
@Component
public class RestoreFromSnapshotAction extends AwsAction {

    public static final String NAME = "aws.rds.restoreFromSnapshot";

    private static final Set<String> DEAD = Set.of(
            "failed",
            "deleting",
            "incompatible-restore",
            "incompatible-parameters",
            "incompatible-network",
            "restore-error",
            "storage-full");

    public RestoreFromSnapshotAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String instanceId = with.get("dbInstanceIdentifier").asText();
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        Optional<DBInstance> existing = RdsSupport.instance(rds, instanceId);
        if (existing.isPresent() && !RdsSupport.taggedWith(existing.get().tagList(), context.idempotencyToken())) {
            throw new ActionFailure(
                    false,
                    "DBInstanceAlreadyExists",
                    "RDS instance " + instanceId
                            + " already exists and was not restored by this step; refusing to adopt it");
        }
        DBInstance instance =
                existing.orElseGet(() -> rds.restoreDBInstanceFromDBSnapshot(request(with, context.idempotencyToken()))
                        .dbInstance());
        String status = instance.dbInstanceStatus();
        if ("available".equals(status)) {
            return ActionResult.succeeded(output(instance, with));
        }
        if (DEAD.contains(status)) {
            throw new ActionFailure(false, "RestoreFailed", "RDS instance " + instanceId + " is " + status);
        }
        return ActionResult.inProgress(
                RdsSupport.pollInterval(with),
                JsonNodeFactory.instance
                        .objectNode()
                        .put("dbInstanceIdentifier", instanceId)
                        .put("status", status),
                "RDS instance " + instanceId + " is " + status);
    }

    private static RestoreDbInstanceFromDbSnapshotRequest request(JsonNode with, String token) {
        RestoreDbInstanceFromDbSnapshotRequest.Builder request = RestoreDbInstanceFromDbSnapshotRequest.builder()
                .dbInstanceIdentifier(with.get("dbInstanceIdentifier").asText())
                .dbSnapshotIdentifier(with.get("snapshotIdentifier").asText())
                .tags(RdsSupport.tags(with, token));
        if (with.hasNonNull("dbInstanceClass")) {
            request.dbInstanceClass(with.get("dbInstanceClass").asText());
        }
        if (with.hasNonNull("dbSubnetGroupName")) {
            request.dbSubnetGroupName(with.get("dbSubnetGroupName").asText());
        }
        if (with.has("vpcSecurityGroupIds")) {
            List<String> groups = new ArrayList<>();
            with.get("vpcSecurityGroupIds").forEach(g -> groups.add(g.asText()));
            request.vpcSecurityGroupIds(groups);
        }
        if (with.has("multiAZ")) {
            request.multiAZ(with.get("multiAZ").asBoolean());
        }
        if (with.has("publiclyAccessible")) {
            request.publiclyAccessible(with.get("publiclyAccessible").asBoolean());
        }
        return request.build();
    }

    private static ObjectNode output(DBInstance instance, JsonNode with) {
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put("dbInstanceIdentifier", instance.dbInstanceIdentifier())
                .put("dbInstanceArn", instance.dbInstanceArn())
                .put("snapshotIdentifier", with.get("snapshotIdentifier").asText())
                .put("status", instance.dbInstanceStatus());
        if (instance.endpoint() != null) {
            output.put("endpointAddress", instance.endpoint().address())
                    .put("endpointPort", instance.endpoint().port());
        }
        return output;
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Deletes the restored instance without a final snapshot (it is a copy of a snapshot already kept). */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        String instanceId = context.output().path("dbInstanceIdentifier").asText();
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        return InstanceRemoval.step(rds, instanceId, null, RdsSupport.pollInterval(context.parameters()));
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Restore RDS snapshot " + parameters.path("snapshotIdentifier").asText() + " as a new instance "
                + parameters.path("dbInstanceIdentifier").asText()
                + (parameters.hasNonNull("dbInstanceClass")
                        ? " (" + parameters.get("dbInstanceClass").asText() + ")"
                        : "")
                + " and wait until it is available (compensation deletes it, without a final snapshot)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("rds:instance:" + parameters.path("dbInstanceIdentifier").asText());
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode arguments = RdsSupport.arguments(
                "dbInstanceIdentifier",
                with.path("dbInstanceIdentifier"),
                "dbSnapshotIdentifier",
                with.path("snapshotIdentifier"));
        for (String field : new String[] {
            "dbInstanceClass", "dbSubnetGroupName", "vpcSecurityGroupIds", "multiAZ", "publiclyAccessible"
        }) {
            if (with.has(field)) {
                arguments.set(field, with.get(field).deepCopy());
            }
        }
        return List.of(
                RdsSupport.describeInstances(with.path("dbInstanceIdentifier")),
                new PlannedCall(
                        RdsSupport.RDS,
                        "RestoreDBInstanceFromDBSnapshot",
                        List.of("rds:RestoreDBInstanceFromDBSnapshot", "rds:AddTagsToResource"),
                        arguments,
                        List.of("rds:instance:"
                                + with.path("dbInstanceIdentifier").asText())));
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        return RdsSupport.plannedRemoval(with.path("dbInstanceIdentifier"), null);
    }

    /** The snapshot is available and no instance has the new name yet. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        RdsClient rds = clients.client("rds", RdsClient::builder, target);
        List<PreflightFinding> findings = new ArrayList<>();
        if (!unresolved(with.path("snapshotIdentifier"))) {
            String id = with.get("snapshotIdentifier").asText();
            findings.add(RdsSupport.snapshot(rds, id)
                    .map(s -> "available".equals(s.status())
                            ? PreflightFinding.ok("resource-exists", "rds:snapshot:" + id, "available")
                            : PreflightFinding.warning(
                                    "resource-state", "rds:snapshot:" + id, "DB snapshot is " + s.status()))
                    .orElse(PreflightFinding.blocking("resource-exists", "rds:snapshot:" + id, "no such DB snapshot")));
        }
        if (!unresolved(with.path("dbInstanceIdentifier"))) {
            String id = with.get("dbInstanceIdentifier").asText();
            findings.add(
                    RdsSupport.instance(rds, id).isPresent()
                            ? PreflightFinding.warning(
                                    "resource-exists",
                                    "rds:instance:" + id,
                                    "an RDS instance of that name exists; the step adopts it only if it restored it")
                            : PreflightFinding.ok("resource-exists", "rds:instance:" + id, "name is free"));
        }
        return findings;
    }
}
