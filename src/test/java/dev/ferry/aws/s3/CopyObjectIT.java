package dev.ferry.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code aws.s3.copyObject} against the emulator, read back through the SDK. */
class CopyObjectIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CopyObjectAction action;

    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private String source;
    private String target;

    @BeforeEach
    void buckets() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        source = "copy-src-" + id;
        target = "copy-dst-" + id;
        s3.createBucket(r -> r.bucket(source));
        s3.createBucket(r -> r.bucket(target));
        s3.putObject(
                r -> r.bucket(source)
                        .key("db/prod.db")
                        .contentType("application/x-sqlite3")
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromString("pretend this is a database"));
    }

    @Test
    void copiesVerifiesBySha256AndCompensationDeletesWhatItCreated() throws Exception {
        ActionDriver driver = new ActionDriver(action, "backup");
        ActionResult result = driver.run(with("db/prod.db", "backup/prod.db"), Duration.ofSeconds(10));
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("copied").asBoolean()).isTrue();
        assertThat(output.get("targetExistedBefore").asBoolean()).isFalse();
        assertThat(output.get("verifiedBy").asText()).isEqualTo("SHA256");
        assertThat(output.get("checksumSHA256").asText()).isEqualTo(sha256Base64("pretend this is a database"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(target).key("backup/prod.db"))
                        .asUtf8String())
                .isEqualTo("pretend this is a database");

        assertThat(driver.compensate(with("db/prod.db", "backup/prod.db"), output))
                .isInstanceOf(ActionResult.Succeeded.class);
        assertThat(exists(target, "backup/prod.db")).isFalse();
    }

    @Test
    void aRetryAfterALostResultDoesNotCopyAgainAndStillKnowsItCreatedTheTarget() {
        ActionDriver driver = new ActionDriver(action, "backup");
        ObjectNode with = with("db/prod.db", "backup/prod.db");
        assertThat(driver.call(with)).isInstanceOf(ActionResult.InProgress.class);
        ObjectNode captured = driver.progress();
        assertThat(driver.call(with)).isInstanceOf(ActionResult.Succeeded.class);
        // The worker died before recording the copy; the step runs again as a new attempt.
        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));
        JsonNode output = ((ActionResult.Succeeded) again).output();
        assertThat(output.get("copied").asBoolean()).isFalse();
        assertThat(output.get("targetExistedBefore").asBoolean()).isFalse();
        assertThat(s3.listObjectsV2(r -> r.bucket(target)).keyCount()).isEqualTo(1);
        driver.compensate(with, output);
        assertThat(exists(target, "backup/prod.db")).isFalse();
    }

    @Test
    void anIdenticalTargetIsLeftAloneAndSurvivesCompensation() {
        s3.putObject(r -> r.bucket(target).key("same.db"), RequestBody.fromString("pretend this is a database"));
        ActionDriver driver = new ActionDriver(action, "backup");
        JsonNode output =
                ((ActionResult.Succeeded) driver.run(with("db/prod.db", "same.db"), Duration.ofSeconds(10))).output();
        assertThat(output.get("copied").asBoolean()).isFalse();
        assertThat(output.get("targetExistedBefore").asBoolean()).isTrue();
        driver.compensate(with("db/prod.db", "same.db"), output);
        assertThat(exists(target, "same.db")).isTrue();
    }

    @Test
    void anObjectWithoutASha256IsVerifiedByETagAndSize() {
        s3.putObject(r -> r.bucket(source).key("plain.txt"), RequestBody.fromString("no sha here"));
        JsonNode output = ((ActionResult.Succeeded)
                        new ActionDriver(action, "copy").run(with("plain.txt", "plain.txt"), Duration.ofSeconds(10)))
                .output();
        assertThat(output.get("verifiedBy").asText()).isEqualTo("ETAG");
        assertThat(output.get("checksumSHA256").asText())
                .as("S3 computed one for the copy")
                .isNotBlank();
    }

    @Test
    void aMissingSourceFailsWithoutRetry() {
        ActionResult result = new ActionDriver(action, "backup").run(with("nope", "x"), Duration.ofSeconds(10));
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("NoSuchKey");
    }

    @Test
    void largeObjectsAreCopiedInPartsOverSeveralCalls() throws Exception {
        byte[] data = new byte[11 * 1024 * 1024 + 123];
        new Random(7).nextBytes(data);
        s3.putObject(
                r -> r.bucket(source)
                        .key("big.bin")
                        .contentType("application/octet-stream")
                        .metadata(Map.of("owner", "etl")),
                RequestBody.fromBytes(data));
        ObjectNode with = with("big.bin", "copy/big.bin")
                .put("multipartThresholdBytes", 5 * 1024 * 1024)
                .put("partSizeBytes", 5 * 1024 * 1024);
        ActionDriver driver = new ActionDriver(action, "big");
        int calls = 0;
        ActionResult result;
        do {
            result = driver.call(with);
            calls++;
        } while (result instanceof ActionResult.InProgress && calls < 20);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("multipart").asBoolean()).isTrue();
        assertThat(output.get("parts").asInt()).isEqualTo(3);
        assertThat(calls)
                .as("memo, create upload, 2 parts, last part + complete")
                .isEqualTo(4);
        assertThat(output.get("size").asLong()).isEqualTo(data.length);
        byte[] copied =
                s3.getObjectAsBytes(r -> r.bucket(target).key("copy/big.bin")).asByteArray();
        assertThat(MessageDigest.getInstance("SHA-256").digest(copied))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(s3.headObject(r -> r.bucket(target).key("copy/big.bin")).metadata())
                .containsEntry("owner", "etl");
    }

    @Test
    void runsAsAStepOfAJob() {
        String plan = Jobs.registerPlan(
                api(),
                "s3-copy",
                """
                name: %s
                parameters:
                  - {name: source, type: string, required: true}
                  - {name: target, type: string, required: true}
                phases:
                  prepare:
                    steps:
                      - id: backup
                        action: aws.s3.copyObject
                        with: {sourceBucket: "${params.source}", sourceKey: db/prod.db,
                               targetBucket: "${params.target}", targetKey: pre-migration/prod.db}
                """);
        UUID id = Jobs.create(api(), "alice", plan, Map.of("source", source, "target", target));
        api().as("alice").post("/api/v1/jobs/" + id + "/start", null);
        JsonNode done = Jobs.awaitState(api(), id, "SUCCEEDED");
        assertThat(Jobs.step(done, "backup").get("output").get("verifiedBy").asText())
                .isEqualTo("SHA256");
        assertThat(exists(target, "pre-migration/prod.db")).isTrue();
    }

    private ObjectNode with(String sourceKey, String targetKey) {
        return JSON.createObjectNode()
                .put("sourceBucket", source)
                .put("sourceKey", sourceKey)
                .put("targetBucket", target)
                .put("targetKey", targetKey);
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static String sha256Base64(String text) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
    }
}
