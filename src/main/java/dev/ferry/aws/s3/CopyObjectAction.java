package dev.ferry.aws.s3;

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
import dev.ferry.aws.CallArguments;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code aws.s3.copyObject}: a server-side copy of one object, verified afterwards by checksum
 * (S3 computes a SHA-256 of the copy), else ETag and size. Whether the target existed before is
 * captured in the memo first, so compensation deletes the target only when this step created it.
 * Objects above {@code multipartThresholdBytes} (at most 5 GiB, the CopyObject limit) are copied
 * part by part with UploadPartCopy over several calls, see {@link MultipartCopy}.
 */
@Component
public class CopyObjectAction extends AwsAction {

    public static final String NAME = "aws.s3.copyObject";
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_PART_SIZE = 512L * 1024 * 1024;

    public CopyObjectAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget aws) {
        JsonNode with = context.parameters();
        S3Location source = S3Location.of(with, "source", "Key");
        S3Location target = S3Location.of(with, "target", "Key");
        S3Client s3 = clients.s3(aws);
        ObjectNode progress = context.progress().deepCopy();
        ObjectNode memo = progress.has("memo") ? (ObjectNode) progress.get("memo") : progress.putObject("memo");
        if (!memo.has("targetExisted")) {
            Optional<HeadObjectResponse> before = S3Objects.head(s3, target);
            memo.put("targetExisted", before.isPresent());
            before.ifPresent(h -> memo.put("previousTargetETag", h.eTag()));
            return ActionResult.inProgress(Duration.ZERO, progress, "captured whether " + target + " exists");
        }
        HeadObjectResponse head = S3Objects.require(s3, source);
        ObjectFingerprint sourcePrint = ObjectFingerprint.of(head);
        Optional<HeadObjectResponse> existing = S3Objects.head(s3, target);
        if (existing.isPresent()
                && sourcePrint.compare(ObjectFingerprint.of(existing.get())).strongMatch()) {
            return ActionResult.succeeded(output(source, target, sourcePrint, existing.get(), memo, false)
                    .put("multipart", false));
        }
        long threshold = Math.min(with.path("multipartThresholdBytes").asLong(MAX_SINGLE_COPY), MAX_SINGLE_COPY);
        if (head.contentLength() > threshold) {
            long partSize = with.path("partSizeBytes").asLong(DEFAULT_PART_SIZE);
            return new MultipartCopy(s3, source, target, head)
                    .step(progress, partSize, after -> verified(source, target, sourcePrint, after, memo)
                            .put("multipart", true));
        }
        CopyObjectResponse copy = s3.copyObject(r -> r.sourceBucket(source.bucket())
                .sourceKey(source.key())
                .destinationBucket(target.bucket())
                .destinationKey(target.key())
                // The bytes copied are the ones just inspected, or the copy fails.
                .copySourceIfMatch(head.eTag())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        HeadObjectResponse after = S3Objects.require(s3, target);
        return ActionResult.succeeded(verified(source, target, sourcePrint, after, memo)
                .put("multipart", false)
                .put("targetVersionId", copy.versionId()));
    }

    private static ObjectNode verified(
            S3Location source,
            S3Location target,
            ObjectFingerprint sourcePrint,
            HeadObjectResponse after,
            JsonNode memo) {
        ObjectFingerprint.Comparison check = sourcePrint.compare(ObjectFingerprint.of(after));
        if (!check.equal()) {
            throw new ActionFailure(
                    false,
                    "CHECKSUM_MISMATCH",
                    "copy of " + source + " to " + target + " does not match its source by " + check.describe());
        }
        return output(source, target, sourcePrint, after, memo, true);
    }

    private static ObjectNode output(
            S3Location source,
            S3Location target,
            ObjectFingerprint sourcePrint,
            HeadObjectResponse after,
            JsonNode memo,
            boolean copied) {
        ObjectFingerprint targetPrint = ObjectFingerprint.of(after);
        return JsonNodeFactory.instance
                .objectNode()
                .put("sourceBucket", source.bucket())
                .put("sourceKey", source.key())
                .put("targetBucket", target.bucket())
                .put("targetKey", target.key())
                .put("targetUri", target.uri())
                .put("size", after.contentLength())
                .put("sourceETag", sourcePrint.eTag())
                .put("targetETag", after.eTag())
                .put("checksumSHA256", targetPrint.sha256())
                .put("verifiedBy", sourcePrint.compare(targetPrint).describe())
                .put("copied", copied)
                .put("targetExistedBefore", memo.path("targetExisted").asBoolean())
                .put("targetVersionId", after.versionId());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /**
     * Deletes the target only if this step created it and nobody has changed it since; an object
     * that existed before is left alone (with versioning, the version this copy made is removed).
     */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget aws) {
        JsonNode output = context.output();
        S3Location target = new S3Location(
                output.path("targetBucket").asText(), output.path("targetKey").asText());
        String versionId = output.path("targetVersionId").asText(null);
        boolean existed = output.path("targetExistedBefore").asBoolean();
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("targetUri", target.uri());
        if (existed && (versionId == null || !output.path("copied").asBoolean())) {
            return ActionResult.succeeded(result.put("deleted", false)
                    .put("reason", "the target existed before this step and the bucket keeps no versions"));
        }
        S3Client s3 = clients.s3(aws);
        Optional<HeadObjectResponse> current = S3Objects.head(s3, target);
        if (current.isEmpty()) {
            return ActionResult.succeeded(result.put("deleted", false).put("reason", "already gone"));
        }
        if (!current.get().eTag().equals(output.path("targetETag").asText())) {
            throw new ActionFailure(
                    false,
                    "TARGET_CHANGED",
                    target + " changed after the copy (ETag " + current.get().eTag()
                            + "); not deleting someone else's data");
        }
        s3.deleteObject(r -> r.bucket(target.bucket()).key(target.key()).versionId(versionId));
        return ActionResult.succeeded(result.put("deleted", true).put("deletedVersionId", versionId));
    }

    @Override
    public String describe(JsonNode with) {
        return "Copy s3://" + with.path("sourceBucket").asText() + "/"
                + with.path("sourceKey").asText()
                + " to s3://" + with.path("targetBucket").asText() + "/"
                + with.path("targetKey").asText()
                + " server-side and verify its checksum (compensation deletes the copy if this step created it)";
    }

    /** The resource a lock guards while this job runs (see ResourceLocks). */
    @Override
    public Set<String> resources(JsonNode parameters) {
        return Set.of("s3:" + parameters.path("targetBucket").asText() + "/"
                + parameters.path("targetKey").asText());
    }

    /**
     * Whether the target exists is captured first, the source is read, the target read again (an
     * identical copy is not repeated), then copied and read back. Objects above the multipart
     * threshold are copied in parts instead (CreateMultipartUpload, UploadPartCopy, ListParts,
     * CompleteMultipartUpload).
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        S3Location source = S3Location.of(with, "source", "Key");
        S3Location target = S3Location.of(with, "target", "Key");
        return List.of(
                S3Objects.plannedHead(target.bucket(), target.key()),
                S3Objects.plannedHead(source.bucket(), source.key()),
                S3Objects.plannedCopy(source, target));
    }

    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        S3Location target = S3Location.of(with, "target", "Key");
        return List.of(
                S3Objects.plannedHead(target.bucket(), target.key()),
                new PlannedCall(
                        S3Objects.S3,
                        "DeleteObject",
                        List.of("s3:DeleteObject", "s3:DeleteObjectVersion"),
                        CallArguments.of(
                                "bucket",
                                target.bucket(),
                                "key",
                                target.key(),
                                "versionId",
                                "(the version this step wrote)"),
                        List.of(target.uri())));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget aws) {
        S3Client s3 = clients.s3(aws);
        S3Location source = S3Location.of(with, "source", "Key");
        HeadObjectResponse head = S3Objects.require(s3, source);
        return List.of(
                PreflightFinding.ok("resource-exists", source.uri(), head.contentLength() + " bytes"),
                S3Objects.inspectBucket(s3, S3Location.of(with, "target", "Key").bucket()));
    }
}
