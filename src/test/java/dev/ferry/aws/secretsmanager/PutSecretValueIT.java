package dev.ferry.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code aws.secretsmanager.putSecretValue} against the emulator, read back through the SDK. */
class PutSecretValueIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final String ORIGINAL =
            "{\"host\":\"old-db.example\",\"port\":5432,\"username\":\"app\",\"password\":\"s3cr3t-value\"}";

    @Autowired
    PutSecretValueAction action;

    private final SecretsManagerClient secrets = AwsEmulator.client(SecretsManagerClient.builder());
    private String name;
    private String originalVersion;

    @BeforeEach
    void secret() {
        name = "fluxion/postgres-" + UUID.randomUUID();
        originalVersion =
                secrets.createSecret(r -> r.name(name).secretString(ORIGINAL)).versionId();
    }

    @Test
    void mergesTheKeysKeepsTheRestAndARetryAddsNoVersion() throws Exception {
        ActionDriver driver = new ActionDriver(action, "switch-db");
        ObjectNode with = switchTo("new-db.example");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        JsonNode value = currentValue();
        assertThat(value.get("host").asText()).isEqualTo("new-db.example");
        assertThat(value.get("port").asInt()).isEqualTo(6543);
        assertThat(value.get("password").asText()).isEqualTo("s3cr3t-value");
        assertThat(output.get("previousVersionId").asText()).isEqualTo(originalVersion);
        assertThat(output.get("changedKeys")).extracting(JsonNode::asText).containsExactlyInAnyOrder("host", "port");
        assertThat(output.toString()).doesNotContain("s3cr3t-value").doesNotContain("new-db.example");

        // A new attempt after a lost result: the memo still names the original version, no new version.
        JsonNode again = succeeded(driver.restoredProgress(JsonNodeFactory.instance
                        .objectNode()
                        .set("memo", driver.progress().path("memo")))
                .nextAttempt()
                .run(with, AT_MOST));
        assertThat(again.get("versionId")).isEqualTo(output.get("versionId"));
        // Even with the memo lost too, the previous version is found behind this step's own version.
        JsonNode lost = succeeded(
                driver.restoredProgress(JsonNodeFactory.instance.objectNode()).run(with, AT_MOST));
        assertThat(lost.get("previousVersionId").asText()).isEqualTo(originalVersion);
        assertThat(versionCount()).isEqualTo(2);
    }

    @Test
    void compensationWritesThePreviousValueBackOnce() throws Exception {
        ActionDriver driver = new ActionDriver(action, "switch-db");
        ObjectNode with = switchTo("new-db.example");
        JsonNode output = succeeded(driver.run(with, AT_MOST));

        JsonNode undone = succeeded(driver.compensate(with, output));
        assertThat(currentValue()).isEqualTo(JSON.readTree(ORIGINAL));
        assertThat(undone.get("restoredFromVersionId").asText()).isEqualTo(originalVersion);
        assertThat(succeeded(driver.compensate(with, output)).get("versionId")).isEqualTo(undone.get("versionId"));
        assertThat(versionCount()).isEqualTo(3);
    }

    @Test
    void compensationRefusesToOverwriteALaterChange() {
        ActionDriver driver = new ActionDriver(action, "switch-db");
        ObjectNode with = switchTo("new-db.example");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        secrets.putSecretValue(r -> r.secretId(name).secretString("{\"host\":\"someone-else\"}"));

        ActionResult result = driver.compensate(with, output);
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("SecretChangedSince");
        assertThat(((ActionResult.Failed) result).message()).doesNotContain("someone-else");
    }

    @Test
    void writesAWholeSecretString() throws Exception {
        ObjectNode with =
                JSON.createObjectNode().put("secretId", name).put("secretString", "{\"host\":\"whole.example\"}");
        JsonNode output = succeeded(new ActionDriver(action, "switch-db").run(with, AT_MOST));
        assertThat(currentValue()).isEqualTo(JSON.readTree("{\"host\":\"whole.example\"}"));
        assertThat(output.has("changedKeys")).isFalse();
        assertThat(output.toString()).doesNotContain("whole.example");
        assertThat(action.describe(with)).doesNotContain("whole.example");
    }

    @Test
    void aSecretThatIsNotJsonIsRefusedWithoutShowingIt() {
        String plain = "plain-" + UUID.randomUUID();
        secrets.putSecretValue(r -> r.secretId(name).secretString(plain + " not json {"));
        ActionResult result = new ActionDriver(action, "switch-db").run(switchTo("new-db.example"), AT_MOST);
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        ActionResult.Failed failed = (ActionResult.Failed) result;
        assertThat(failed.code()).isEqualTo("SecretNotJsonObject");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message() + failed.detail()).doesNotContain(plain);
    }

    @Test
    void theSchemaTakesEitherAWholeValueOrKeysToSetButNotBoth() {
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(action.parameterSchema());
        assertThat(schema.validate(switchTo("h"))).isEmpty();
        assertThat(schema.validate(JSON.createObjectNode().put("secretId", name).put("secretString", "x")))
                .isEmpty();
        assertThat(schema.validate(switchTo("h").put("secretString", "x"))).isNotEmpty();
        assertThat(schema.validate(JSON.createObjectNode().put("secretId", name)))
                .isNotEmpty();
        assertThat(schema.validate(switchTo("h").put("unknown", 1))).isNotEmpty();
    }

    private ObjectNode switchTo(String host) {
        ObjectNode with = JSON.createObjectNode().put("secretId", name);
        with.putObject("set").put("host", host).put("port", 6543);
        return with;
    }

    private JsonNode currentValue() throws Exception {
        return JSON.readTree(secrets.getSecretValue(r -> r.secretId(name)).secretString());
    }

    private int versionCount() {
        return secrets.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true))
                .versions()
                .size();
    }

    private static JsonNode succeeded(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        return ((ActionResult.Succeeded) result).output();
    }
}
