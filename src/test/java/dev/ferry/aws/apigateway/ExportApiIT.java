package dev.ferry.aws.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code aws.apigateway.exportApi} against the emulator, the export read back from S3. */
class ExportApiIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ExportApiAction action;

    private final ApiGatewayClient apiGateway = AwsEmulator.client(ApiGatewayClient.builder());
    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private String api;
    private String bucket;

    @BeforeEach
    void restApi() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        bucket = "api-backups-" + id;
        s3.createBucket(r -> r.bucket(bucket));
        api = apiGateway.createRestApi(r -> r.name("prisma-" + id)).id();
        String root =
                apiGateway.getResources(r -> r.restApiId(api)).items().get(0).id();
        String pets = apiGateway
                .createResource(r -> r.restApiId(api).parentId(root).pathPart("pets"))
                .id();
        apiGateway.putMethod(
                r -> r.restApiId(api).resourceId(pets).httpMethod("GET").authorizationType("NONE"));
        apiGateway.putIntegration(
                r -> r.restApiId(api).resourceId(pets).httpMethod("GET").type(IntegrationType.MOCK));
        apiGateway.createDeployment(r -> r.restApiId(api).stageName("prod"));
    }

    @Test
    void exportsTheStageOnceWithAChecksum() throws Exception {
        ObjectNode with = JSON.createObjectNode()
                .put("restApiId", api)
                .put("stageName", "prod")
                .put("bucket", bucket);
        ActionDriver driver = new ActionDriver(action, "backup-api");
        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();
        assertThat(output.get("key").asText())
                .isEqualTo("ferry-backups/apigateway/" + api + "/prod/" + driver.idempotencyToken() + ".json");
        byte[] stored = s3.getObjectAsBytes(
                        r -> r.bucket(bucket).key(output.get("key").asText()))
                .asByteArray();
        assertThat(output.get("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        JsonNode doc = JSON.readTree(stored);
        assertThat(doc.at("/export/paths").has("/pets")).isTrue();
        assertThat(doc.at("/restApi/id").asText()).isEqualTo(api);
        assertThat(doc.at("/stage/stageName").asText()).isEqualTo("prod");

        JsonNode again = ((ActionResult.Succeeded) driver.nextAttempt().run(with, Duration.ofSeconds(10))).output();
        assertThat(again.get("alreadyExisted").asBoolean()).isTrue();
        assertThat(again.get("sha256").asText()).isEqualTo(output.get("sha256").asText());
    }

    @Test
    void anUnknownStageFailsWithoutRetry() {
        ActionResult.Failed failed = (ActionResult.Failed) new ActionDriver(action, "b")
                .run(
                        JSON.createObjectNode()
                                .put("restApiId", api)
                                .put("stageName", "nope")
                                .put("bucket", bucket),
                        Duration.ofSeconds(10));
        assertThat(failed.retryable()).isFalse();
    }
}
