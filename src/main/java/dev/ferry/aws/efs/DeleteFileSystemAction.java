package dev.ferry.aws.efs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;

/**
 * {@code aws.efs.deleteFileSystem}: the runbook's CLEANUP "delete the old EFS after 7 days".
 * IRREVERSIBLE: plans mark it {@code irreversible: true}. Mount targets are deleted and waited for
 * (instead of the runbook's {@code sleep 30}), then the file system; one already gone is deleted.
 */
@Component
public class DeleteFileSystemAction extends AwsAction {

    public static final String NAME = "aws.efs.deleteFileSystem";

    public DeleteFileSystemAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String id = with.get("fileSystemId").asText();
        JsonNode memo = context.progress().path("memo");
        EfsClient efs = clients.client("efs", EfsClient::builder, target);
        if (!memo.has("existed")) {
            return capture(efs, id);
        }
        Duration poll = EfsSupport.pollInterval(with);
        ActionResult step = EfsSupport.removalStep(efs, id, poll);
        if (step instanceof ActionResult.InProgress more) {
            ObjectNode progress = more.progress();
            progress.set("memo", memo);
            return ActionResult.inProgress(poll, progress, more.message());
        }
        ObjectNode output = ((ActionResult.Succeeded) step)
                .output()
                .put("alreadyDeleted", !memo.path("existed").asBoolean());
        if (memo.has("fileSystemArn")) {
            output.put("fileSystemArn", memo.get("fileSystemArn").asText());
            output.put("wasEncrypted", memo.get("encrypted").asBoolean());
        }
        output.set("deletedMountTargetIds", memo.path("mountTargetIds"));
        return ActionResult.succeeded(output);
    }

    /** Records what is about to be destroyed, before destroying it, for the audit trail. */
    private static ActionResult capture(EfsClient efs, String id) {
        Optional<FileSystemDescription> fs = EfsSupport.fileSystem(efs, id);
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        ObjectNode memo = progress.putObject("memo").put("existed", fs.isPresent());
        ArrayNode targets = memo.putArray("mountTargetIds");
        fs.ifPresent(f -> {
            memo.put("fileSystemArn", f.fileSystemArn()).put("encrypted", Boolean.TRUE.equals(f.encrypted()));
            EfsSupport.mountTargets(efs, id).forEach(t -> targets.add(t.mountTargetId()));
        });
        return ActionResult.inProgress(
                Duration.ZERO,
                progress,
                fs.isPresent()
                        ? "EFS file system " + id + " has " + targets.size() + " mount target(s)"
                        : "EFS file system " + id + " is already gone");
    }

    @Override
    public String describe(JsonNode parameters) {
        return "IRREVERSIBLE: delete EFS file system "
                + parameters.path("fileSystemId").asText() + " (its mount targets first, waiting until they are gone)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("efs:" + parameters.path("fileSystemId").asText());
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        return EfsSupport.plannedRemoval(with.path("fileSystemId"));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        if (unresolved(with.path("fileSystemId"))) {
            return List.of();
        }
        return EfsSupport.inspect(clients.client("efs", EfsClient::builder, target), with.path("fileSystemId"));
    }
}
