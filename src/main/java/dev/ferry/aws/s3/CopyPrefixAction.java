package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code aws.s3.copyPrefix}: copies every object under a prefix server-side, one bounded batch
 * (one listing page) per call. The continuation token, the counts and a running manifest digest
 * live in the memo, so a retry after a failure resumes at the page where it stopped; a batch that
 * is redone finds its objects already present and copies nothing twice. The manifest digest
 * chains {@code key, size, ETag} of every source object in listing (lexicographic) order, so two
 * runs over the same content give the same digest.
 */
@Component
public class CopyPrefixAction extends AwsAction {

    public static final String NAME = "aws.s3.copyPrefix";

    public CopyPrefixAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget aws) {
        JsonNode with = context.parameters();
        S3Location source = S3Location.of(with, "source", "Prefix");
        S3Location target = new S3Location(
                with.path("targetBucket").asText(), with.path("targetPrefix").asText(source.key()));
        S3Client s3 = clients.s3(aws);
        ObjectNode progress = context.progress().deepCopy();
        ObjectNode memo = progress.has("memo") ? (ObjectNode) progress.get("memo") : progress.putObject("memo");
        ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(source.bucket())
                .prefix(source.key())
                .maxKeys(with.path("batchSize").asInt(100))
                .continuationToken(memo.path("continuationToken").asText(null)));
        for (S3Object object : page.contents()) {
            copy(s3, source, target, object, memo);
        }
        if (Boolean.TRUE.equals(page.isTruncated())) {
            memo.put("continuationToken", page.nextContinuationToken());
            return ActionResult.inProgress(
                    Duration.ZERO, progress, memo.path("objects").asLong() + " objects so far");
        }
        memo.remove("continuationToken");
        ObjectNode output = progress.objectNode().put("sourceUri", source.uri()).put("targetUri", target.uri());
        for (String count :
                new String[] {"objects", "objectsCopied", "objectsAlreadyPresent", "bytes", "bytesCopied"}) {
            output.put(count, memo.path(count).asLong());
        }
        return ActionResult.succeeded(
                output.put("manifestSha256", memo.path("manifest").asText(digest("", ""))));
    }

    private static void copy(S3Client s3, S3Location source, S3Location target, S3Object object, ObjectNode memo) {
        if (object.size() > CopyObjectAction.MAX_SINGLE_COPY) {
            throw new ActionFailure(
                    false,
                    "OBJECT_TOO_LARGE",
                    "s3://" + source.bucket() + "/" + object.key()
                            + " is larger than 5 GiB; copy it with aws.s3.copyObject, which copies in parts");
        }
        String relative = object.key().substring(source.key().length());
        S3Location from = new S3Location(source.bucket(), object.key());
        S3Location to = new S3Location(target.bucket(), target.key() + relative);
        Optional<HeadObjectResponse> existing = S3Objects.head(s3, to);
        boolean present = existing.isPresent()
                && existing.get().eTag().equals(object.eTag())
                && existing.get().contentLength().equals(object.size());
        if (present) {
            memo.put("objectsAlreadyPresent", memo.path("objectsAlreadyPresent").asLong() + 1);
        } else {
            s3.copyObject(r -> r.sourceBucket(from.bucket())
                    .sourceKey(from.key())
                    .destinationBucket(to.bucket())
                    .destinationKey(to.key())
                    .copySourceIfMatch(object.eTag())
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256));
            verify(s3, from, to, object);
            memo.put("objectsCopied", memo.path("objectsCopied").asLong() + 1);
            memo.put("bytesCopied", memo.path("bytesCopied").asLong() + object.size());
        }
        memo.put("objects", memo.path("objects").asLong() + 1);
        memo.put("bytes", memo.path("bytes").asLong() + object.size());
        memo.put(
                "manifest",
                digest(memo.path("manifest").asText(""), relative + "\t" + object.size() + "\t" + object.eTag()));
    }

    // The listing's ETag settles most objects; KMS or multipart sources need their checksums.
    private static void verify(S3Client s3, S3Location from, S3Location to, S3Object listed) {
        ObjectFingerprint copy = ObjectFingerprint.of(S3Objects.require(s3, to));
        ObjectFingerprint.Comparison check = ObjectFingerprint.of(listed).compare(copy);
        if (!check.equal()) {
            check = ObjectFingerprint.of(S3Objects.require(s3, from)).compare(copy);
        }
        if (!check.equal()) {
            throw new ActionFailure(
                    false,
                    "CHECKSUM_MISMATCH",
                    "copy of " + from + " to " + to + " does not match its source by " + check.describe());
        }
    }

    static String digest(String previous, String line) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return HexFormat.of().formatHex(sha.digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public String describe(JsonNode with) {
        return "Copy every object under s3://" + with.path("sourceBucket").asText() + "/"
                + with.path("sourcePrefix").asText() + " to s3://"
                + with.path("targetBucket").asText() + "/"
                + with.path("targetPrefix").asText(with.path("sourcePrefix").asText()) + " server-side, "
                + with.path("batchSize").asInt(100) + " objects per call, verifying each copy (no compensation:"
                + " the copies are left in place)";
    }

    /** Per listed batch: each object's target is read, copied when absent or different, and read back. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        S3Location source = S3Location.of(with, "source", "Prefix");
        S3Location target = new S3Location(
                with.path("targetBucket").asText(), with.path("targetPrefix").asText(source.key()));
        return List.of(
                PlannedCall.read(
                        S3Objects.S3,
                        "ListObjectsV2",
                        "s3:ListBucket",
                        CallArguments.of(
                                "bucket",
                                source.bucket(),
                                "prefix",
                                source.key(),
                                "maxKeys",
                                with.path("batchSize").asInt(100))),
                S3Objects.plannedHead(target.bucket(), target.key() + "(each object)"),
                S3Objects.plannedCopy(
                        new S3Location(source.bucket(), source.key() + "(each object)"),
                        new S3Location(target.bucket(), target.key() + "(each object)")));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget aws) {
        S3Client s3 = clients.s3(aws);
        S3Location source = S3Location.of(with, "source", "Prefix");
        return List.of(
                S3Objects.inspectBucket(s3, source.bucket()),
                S3Objects.inspectBucket(s3, with.path("targetBucket").asText()));
    }
}
