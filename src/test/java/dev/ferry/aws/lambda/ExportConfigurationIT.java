package dev.ferry.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.LambdaFixtures;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code aws.lambda.exportConfiguration} against the emulator, the backup read back from S3. */
class ExportConfigurationIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/ferry-lambda-test";

    @Autowired
    ExportConfigurationAction action;

    private final LambdaClient lambda = AwsEmulator.client(LambdaClient.builder());
    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private String function;
    private String bucket;

    @BeforeEach
    void function() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        function = "chatbot-auth-" + id;
        bucket = "lambda-backups-" + id;
        s3.createBucket(r -> r.bucket(bucket));
        LambdaFixtures.createRole("ferry-lambda-test");
        byte[] code = LambdaFixtures.zip();
        lambda.createFunction(r -> r.functionName(function)
                .runtime(Runtime.PYTHON3_12)
                .role(ROLE)
                .handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(code)))
                .environment(e -> e.variables(Map.of("STAGE", "prod"))));
        lambda.createAlias(r -> r.functionName(function).name("live").functionVersion("$LATEST"));
        lambda.addPermission(r -> r.functionName(function)
                .statementId("apigw")
                .action("lambda:InvokeFunction")
                .principal("apigateway.amazonaws.com"));
    }

    @Test
    void backsUpConfigurationPolicyAndAliasesOnceWithAChecksum() throws Exception {
        ObjectNode with = JSON.createObjectNode().put("functionName", function).put("bucket", bucket);
        ActionDriver driver = new ActionDriver(action, "backup-lambda");
        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();
        assertThat(output.get("key").asText())
                .isEqualTo("ferry-backups/lambda/" + function + "/" + driver.idempotencyToken() + ".json");
        byte[] stored = s3.getObjectAsBytes(
                        r -> r.bucket(bucket).key(output.get("key").asText()))
                .asByteArray();
        assertThat(output.get("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        JsonNode doc = JSON.readTree(stored);
        assertThat(doc.at("/configuration/Handler").asText()).isEqualTo("index.handler");
        assertThat(doc.at("/configuration/Environment/Variables/STAGE").asText())
                .isEqualTo("prod");
        assertThat(doc.at("/policy/Statement/0/Principal/Service").asText()).isEqualTo("apigateway.amazonaws.com");
        assertThat(doc.at("/aliases/0/Name").asText()).isEqualTo("live");
        assertThat(doc.at("/function/Code").has("Location"))
                .as("pre-signed URL left out")
                .isFalse();

        // A retry after the function changed keeps the first (pre-migration) backup.
        lambda.updateFunctionConfiguration(r -> r.functionName(function).handler("other.handler"));
        JsonNode again = ((ActionResult.Succeeded) driver.nextAttempt().run(with, Duration.ofSeconds(10))).output();
        assertThat(again.get("alreadyExisted").asBoolean()).isTrue();
        assertThat(again.get("sha256").asText()).isEqualTo(output.get("sha256").asText());
    }

    @Test
    void anUnknownFunctionFailsWithoutRetry() {
        ActionResult.Failed failed = (ActionResult.Failed) new ActionDriver(action, "b")
                .run(
                        JSON.createObjectNode()
                                .put("functionName", "nope-" + function)
                                .put("bucket", bucket),
                        Duration.ofSeconds(10));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("ResourceNotFoundException");
    }
}
