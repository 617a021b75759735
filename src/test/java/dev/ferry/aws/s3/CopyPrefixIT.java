package dev.ferry.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code aws.s3.copyPrefix} and {@code aws.s3.compareObjects} against the emulator. */
class CopyPrefixIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CopyPrefixAction copy;

    @Autowired
    CompareObjectsAction compare;

    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private String source;
    private String target;

    @BeforeEach
    void objects() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        source = "prefix-src-" + id;
        target = "prefix-dst-" + id;
        s3.createBucket(r -> r.bucket(source));
        s3.createBucket(r -> r.bucket(target));
        for (int i = 0; i < 7; i++) {
            String body = "file " + i;
            s3.putObject(r -> r.bucket(source).key("data/f" + body.charAt(5) + ".txt"), RequestBody.fromString(body));
        }
        s3.putObject(r -> r.bucket(source).key("other/skip.txt"), RequestBody.fromString("not under the prefix"));
    }

    @Test
    void copiesInBoundedBatchesAndResumesAfterAFailedAttempt() {
        ActionDriver driver = new ActionDriver(copy, "copy");
        ObjectNode with = with().put("batchSize", 3);
        ActionResult first = driver.call(with);
        assertThat(first).isInstanceOf(ActionResult.InProgress.class);
        assertThat(driver.progress().at("/memo/objects").asInt()).isEqualTo(3);
        // The next attempt (after, say, throttling) starts from the memo, not from the beginning.
        ActionResult done = driver.nextAttempt().run(with, Duration.ofSeconds(10));
        JsonNode output = ((ActionResult.Succeeded) done).output();
        assertThat(output.get("objects").asInt()).isEqualTo(7);
        assertThat(output.get("objectsCopied").asInt()).isEqualTo(7);
        assertThat(output.get("bytes").asLong()).isEqualTo(7 * 6);
        assertThat(s3.listObjectsV2(r -> r.bucket(target).prefix("copy/")).contents())
                .extracting(S3Object::key)
                .contains("copy/f0.txt", "copy/f6.txt")
                .hasSize(7);

        JsonNode again =
                ((ActionResult.Succeeded) new ActionDriver(copy, "copy").run(with, Duration.ofSeconds(10))).output();
        assertThat(again.get("objectsCopied").asInt()).isZero();
        assertThat(again.get("objectsAlreadyPresent").asInt()).isEqualTo(7);
        assertThat(again.get("manifestSha256").asText())
                .isEqualTo(output.get("manifestSha256").asText());
    }

    @Test
    void compareAcceptsAFaithfulCopyAndListsEveryKindOfDifference() {
        new ActionDriver(copy, "copy").run(with(), Duration.ofSeconds(10));
        ObjectNode prefixes = JSON.createObjectNode()
                .put("sourceBucket", source)
                .put("sourcePrefix", "data/")
                .put("targetBucket", target)
                .put("targetPrefix", "copy/")
                .put("maxDifferences", 2);
        JsonNode same = ((ActionResult.Succeeded)
                        new ActionDriver(compare, "verify").run(prefixes, Duration.ofSeconds(10)))
                .output();
        assertThat(same.get("objectsMatched").asInt()).isEqualTo(7);

        s3.putObject(r -> r.bucket(target).key("copy/f1.txt"), RequestBody.fromString("file X"));
        s3.deleteObject(r -> r.bucket(target).key("copy/f2.txt"));
        s3.putObject(r -> r.bucket(target).key("copy/zz-extra.txt"), RequestBody.fromString("extra"));
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(compare, "verify").run(prefixes, Duration.ofSeconds(10));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("OBJECTS_DIFFER");
        assertThat(failed.detail().get("changed").asInt()).isEqualTo(1);
        assertThat(failed.detail().get("missing").asInt()).isEqualTo(1);
        assertThat(failed.detail().get("extra").asInt()).isEqualTo(1);
        assertThat(failed.detail().get("differences")).hasSize(2);
        assertThat(failed.detail().get("differences").get(0).get("key").asText())
                .isEqualTo("f1.txt");
    }

    @Test
    void compareTwoSingleObjects() {
        s3.putObject(r -> r.bucket(target).key("one.txt"), RequestBody.fromString("file 3"));
        ObjectNode objects = JSON.createObjectNode()
                .put("sourceBucket", source)
                .put("sourceKey", "data/f3.txt")
                .put("targetBucket", target)
                .put("targetKey", "one.txt");
        assertThat(new ActionDriver(compare, "verify").run(objects, Duration.ofSeconds(10)))
                .isInstanceOf(ActionResult.Succeeded.class);
        ActionResult missing =
                new ActionDriver(compare, "verify").run(objects.put("targetKey", "none.txt"), Duration.ofSeconds(10));
        assertThat(((ActionResult.Failed) missing).detail().get("missing").asInt())
                .isEqualTo(1);
    }

    private ObjectNode with() {
        return JSON.createObjectNode()
                .put("sourceBucket", source)
                .put("sourcePrefix", "data/")
                .put("targetBucket", target)
                .put("targetPrefix", "copy/");
    }
}
