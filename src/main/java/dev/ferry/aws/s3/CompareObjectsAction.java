package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import dev.ferry.aws.CallArguments;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code aws.s3.compareObjects}: the VERIFY phase's "checksums match". Compares two objects, or
 * two prefixes by relative key, size and content (equal ETags settle it; otherwise both objects'
 * stored checksums are read). Both listings are walked in step, in S3's order (UTF-8 bytes), so
 * memory stays flat however many objects there are. Any difference fails the step for good,
 * naming the first {@code maxDifferences}. Read-only.
 */
@Component
public class CompareObjectsAction extends AwsAction {

    public static final String NAME = "aws.s3.compareObjects";

    public CompareObjectsAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget aws) {
        JsonNode with = context.parameters();
        S3Client s3 = clients.s3(aws);
        ObjectDifferences differences =
                new ObjectDifferences(with.path("maxDifferences").asInt(20));
        if (with.has("sourceKey")) {
            compareObject(s3, S3Location.of(with, "source", "Key"), S3Location.of(with, "target", "Key"), differences);
        } else {
            S3Location source = S3Location.of(with, "source", "Prefix");
            comparePrefix(
                    s3,
                    source,
                    new S3Location(
                            with.path("targetBucket").asText(),
                            with.path("targetPrefix").asText(source.key())),
                    differences);
        }
        if (differences.total() > 0) {
            return new ActionResult.Failed(false, "OBJECTS_DIFFER", differences.message(), differences.summary());
        }
        return ActionResult.succeeded(differences.summary());
    }

    private static void compareObject(S3Client s3, S3Location source, S3Location target, ObjectDifferences tally) {
        HeadObjectResponse from = S3Objects.require(s3, source);
        Optional<HeadObjectResponse> to = S3Objects.head(s3, target);
        if (to.isEmpty()) {
            tally.differ(ObjectDifferences.Kind.MISSING, target.key(), target.uri() + " does not exist");
            return;
        }
        judge(
                ObjectFingerprint.of(from).compare(ObjectFingerprint.of(to.get())),
                target.key(),
                from.contentLength(),
                tally);
    }

    private static void comparePrefix(S3Client s3, S3Location source, S3Location target, ObjectDifferences tally) {
        Iterator<S3Object> left = list(s3, source);
        Iterator<S3Object> right = list(s3, target);
        S3Object a = next(left);
        S3Object b = next(right);
        while (a != null || b != null) {
            int order = a == null ? 1 : b == null ? -1 : compareUtf8(relative(a, source), relative(b, target));
            if (order < 0) {
                tally.differ(ObjectDifferences.Kind.MISSING, relative(a, source), "only in " + source.uri());
                a = next(left);
            } else if (order > 0) {
                tally.differ(ObjectDifferences.Kind.EXTRA, relative(b, target), "only in " + target.uri());
                b = next(right);
            } else {
                compareListed(s3, source, target, a, b, tally);
                a = next(left);
                b = next(right);
            }
        }
    }

    private static void compareListed(
            S3Client s3, S3Location source, S3Location target, S3Object a, S3Object b, ObjectDifferences tally) {
        ObjectFingerprint.Comparison cheap = ObjectFingerprint.of(a).compare(ObjectFingerprint.of(b));
        ObjectFingerprint.Comparison check = cheap.strongMatch() || !cheap.equal() && a.size() != b.size()
                ? cheap
                : ObjectFingerprint.of(S3Objects.require(s3, new S3Location(source.bucket(), a.key())))
                        .compare(ObjectFingerprint.of(S3Objects.require(s3, new S3Location(target.bucket(), b.key()))));
        judge(check, relative(a, source), a.size(), tally);
    }

    private static void judge(ObjectFingerprint.Comparison check, String key, long size, ObjectDifferences tally) {
        if (check.equal()) {
            tally.matched(check, size);
        } else {
            tally.differ(ObjectDifferences.Kind.CHANGED, key, "differs by " + check.describe());
        }
    }

    private static Iterator<S3Object> list(S3Client s3, S3Location prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(prefix.key()))
                .contents()
                .iterator();
    }

    private static S3Object next(Iterator<S3Object> objects) {
        return objects.hasNext() ? objects.next() : null;
    }

    private static String relative(S3Object object, S3Location prefix) {
        return object.key().substring(prefix.key().length());
    }

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String describe(JsonNode with) {
        String what = with.has("sourceKey")
                ? "s3://" + with.path("sourceBucket").asText() + "/"
                        + with.path("sourceKey").asText() + " with s3://"
                        + with.path("targetBucket").asText() + "/"
                        + with.path("targetKey").asText()
                : "every object under s3://" + with.path("sourceBucket").asText() + "/"
                        + with.path("sourcePrefix").asText() + " with s3://"
                        + with.path("targetBucket").asText() + "/"
                        + with.path("targetPrefix")
                                .asText(with.path("sourcePrefix").asText());
        return "Compare " + what + " by key, size and checksum; fail listing the differences (read-only)";
    }

    /** One object: both are read. A prefix: both sides are listed, and objects read where listing cannot tell. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        if (with.has("sourceKey")) {
            S3Location source = S3Location.of(with, "source", "Key");
            S3Location target = S3Location.of(with, "target", "Key");
            return List.of(
                    S3Objects.plannedHead(source.bucket(), source.key()),
                    S3Objects.plannedHead(target.bucket(), target.key()));
        }
        S3Location source = S3Location.of(with, "source", "Prefix");
        return List.of(
                PlannedCall.read(
                        S3Objects.S3,
                        "ListObjectsV2",
                        "s3:ListBucket",
                        CallArguments.of("bucket", source.bucket(), "prefix", source.key())),
                PlannedCall.read(
                        S3Objects.S3,
                        "ListObjectsV2",
                        "s3:ListBucket",
                        CallArguments.of(
                                "bucket",
                                with.path("targetBucket"),
                                "prefix",
                                with.path("targetPrefix").asText(source.key()))));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget aws) {
        S3Client s3 = clients.s3(aws);
        String source = with.path("sourceBucket").asText();
        return List.of(
                S3Objects.inspectBucket(s3, source),
                S3Objects.inspectBucket(s3, with.path("targetBucket").asText()));
    }
}
