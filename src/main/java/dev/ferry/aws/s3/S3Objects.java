package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.CallArguments;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Small lookups every S3 action needs. */
public final class S3Objects {

    private S3Objects() {}

    /** The object's metadata with its stored checksums, or empty when there is no such object. */
    static Optional<HeadObjectResponse> head(S3Client s3, S3Location location) {
        try {
            return Optional.of(s3.headObject(
                    r -> r.bucket(location.bucket()).key(location.key()).checksumMode(ChecksumMode.ENABLED)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static HeadObjectResponse require(S3Client s3, S3Location location) {
        return head(s3, location)
                .orElseThrow(
                        () -> new ActionFailure(false, "NoSuchKey", "S3 object " + location.uri() + " does not exist"));
    }

    static final String S3 = "S3";

    /** A HeadObject (a 404 answers "absent"); reading metadata needs {@code s3:GetObject}. */
    public static PlannedCall plannedHead(Object bucket, Object key) {
        return PlannedCall.read(S3, "HeadObject", "s3:GetObject", CallArguments.of("bucket", bucket, "key", key));
    }

    public static PlannedCall plannedPut(Object bucket, Object key, JsonNode kmsKeyId) {
        List<String> iam = kmsKeyId == null || kmsKeyId.isMissingNode() || kmsKeyId.isNull()
                ? List.of("s3:PutObject")
                : List.of("s3:PutObject", "kms:GenerateDataKey");
        return new PlannedCall(
                S3,
                "PutObject",
                iam,
                CallArguments.of("bucket", bucket, "key", key, "kmsKeyId", kmsKeyId),
                List.of(uri(bucket, key)));
    }

    /** A server-side copy reads the source and writes the target. */
    static PlannedCall plannedCopy(S3Location source, S3Location target) {
        return new PlannedCall(
                S3,
                "CopyObject",
                List.of("s3:GetObject", "s3:PutObject"),
                CallArguments.of("source", source.uri(), "target", target.uri()),
                List.of(target.uri()));
    }

    static String uri(Object bucket, Object key) {
        return "s3://" + text(bucket) + "/" + text(key);
    }

    private static String text(Object value) {
        return value instanceof JsonNode node ? node.asText() : String.valueOf(value);
    }

    /** The bucket exists and can be reached (HeadBucket). */
    public static PreflightFinding inspectBucket(S3Client s3, String bucket) {
        s3.headBucket(r -> r.bucket(bucket));
        return PreflightFinding.ok("resource-exists", "s3://" + bucket, "bucket exists");
    }
}
